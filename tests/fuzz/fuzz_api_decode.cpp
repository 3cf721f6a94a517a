// The generated decoders of the API's structs (build/gen/api_types.hpp), as
// Handle's methods use them on a daemon's reply: one struct, or a counted
// list of them, then nothing left.  The first byte picks the struct.
// Documented failure: ProtocolError.  What decodes must encode back to the
// same bytes, and render as guestfish shows it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "api_types.hpp"
#include "protocol.hpp"

namespace api = vt::api;
namespace proto = vt::proto;

namespace {

template <typename T, typename Decode>
void one(std::string_view payload, bool list, Decode decode) {
  proto::Reader r(payload);
  proto::Writer w;
  std::string text;
  if (list) {
    uint32_t n = r.get_u32();
    proto::check_count(r, n);
    std::vector<T> items;
    for (uint32_t i = 0; i < n; ++i) items.push_back(decode(r));
    r.expect_end();
    w.put_u32(n);
    for (const T& item : items) {
      api::encode(w, item);
      text += api::to_text(item, "  ");
    }
  } else {
    T item = decode(r);
    r.expect_end();
    api::encode(w, item);
    text = api::to_text(item);
  }
  if (w.data() != payload) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size < 1) return 0;
  std::string_view payload(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  bool list = bytes[0] & 0x80;
  try {
    switch (bytes[0] % 13) {
      case 0: one<api::version>(payload, list, api::decode_version); break;
      case 1: one<api::statvfs>(payload, list, api::decode_statvfs); break;
      case 2: one<api::partition>(payload, list, api::decode_partition); break;
      case 3: one<api::xfsinfo>(payload, list, api::decode_xfsinfo); break;
      case 4: one<api::btrfssubvolume>(payload, list, api::decode_btrfssubvolume); break;
      case 5: one<api::lvm_pv>(payload, list, api::decode_lvm_pv); break;
      case 6: one<api::lvm_vg>(payload, list, api::decode_lvm_vg); break;
      case 7: one<api::lvm_lv>(payload, list, api::decode_lvm_lv); break;
      case 8: one<api::statns>(payload, list, api::decode_statns); break;
      case 9: one<api::treeentry>(payload, list, api::decode_treeentry); break;
      case 10: one<api::hivex_node>(payload, list, api::decode_hivex_node); break;
      case 11: one<api::hivex_value>(payload, list, api::decode_hivex_value); break;
      case 12: one<api::application2>(payload, list, api::decode_application2); break;
    }
  } catch (const proto::ProtocolError&) {
  }
  return 0;
}
