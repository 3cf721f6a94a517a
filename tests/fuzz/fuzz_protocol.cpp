// The wire decoder (protocol.hpp) over bytes a hostile daemon could send:
// length prefixes, frame bodies, FrameBuffer reassembly, error / chunk /
// progress payloads, and the Reader's primitives driven by the input.
// Documented failure: ProtocolError.  A payload that decodes must encode
// back to the same bytes (the decoders accept exactly one encoding).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol.hpp"

namespace proto = vt::proto;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

template <typename F>
void guarded(F&& f) {
  try {
    f();
  } catch (const proto::ProtocolError&) {
  }
}

// The payload of a frame, decoded as its header says.
void decode_payload(const proto::Message& m) {
  guarded([&] {
    switch (m.header.kind) {
      case proto::Kind::reply:
        if (m.header.status == proto::Status::error) {
          auto e = proto::decode_error(m.payload);
          check(proto::encode_error(e) == m.payload);
          (void)proto::errno_from_name(e.errno_name);
        }
        break;
      case proto::Kind::chunk: {
        auto c = proto::decode_chunk(m.payload);
        check(proto::encode_chunk(c) == m.payload);
        break;
      }
      case proto::Kind::progress: {
        auto p = proto::decode_progress(m.payload);
        check(proto::encode_progress(p) == m.payload);
        break;
      }
      default: break;
    }
  });
}

// The Reader driven by the input: each byte of `ops` picks a primitive.
void reader_ops(std::string_view ops, std::string_view data) {
  proto::Reader r(data);
  try {
    for (char op : ops) {
      switch (static_cast<unsigned char>(op) % 8) {
        case 0: (void)r.get_u8(); break;
        case 1: (void)r.get_u32(); break;
        case 2: (void)r.get_u64(); break;
        case 3: (void)r.get_bool(); break;
        case 4: (void)r.get_string(); break;
        case 5: (void)r.get_string_list(); break;
        case 6: {
          uint32_t n = r.get_u32();
          proto::check_count(r, n);
          break;
        }
        case 7: r.expect_end(); break;
      }
      check(r.remaining() <= data.size());
    }
  } catch (const proto::ProtocolError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(bytes), size);

  guarded([&] { (void)proto::decode_length(in); });
  guarded([&] {
    auto m = proto::decode_body(in);
    check(m.payload.size() + proto::kHeaderSize == in.size());
    decode_payload(m);
  });
  guarded([&] {
    auto e = proto::decode_error(in);
    check(proto::encode_error(e) == in);
  });
  guarded([&] {
    auto c = proto::decode_chunk(in);
    check(proto::encode_chunk(c) == in);
  });
  guarded([&] {
    auto p = proto::decode_progress(in);
    check(proto::encode_progress(p) == in);
  });

  // The stream as it arrives, in pieces whose sizes come from the input.
  guarded([&] {
    proto::FrameBuffer fb;
    size_t pos = 0, step = size ? 1 + bytes[0] % 64 : 1;
    int frames = 0;
    while (pos < size) {
      size_t n = std::min(step, size - pos);
      fb.append(in.substr(pos, n));
      pos += n;
      while (auto m = fb.next()) {
        decode_payload(*m);
        check(++frames <= static_cast<int>(size));
      }
    }
    (void)fb.take_bytes();
  });

  // Reader primitives: the first half of the input says which, over the rest.
  size_t split = size ? bytes[0] % (size + 1) : 0;
  reader_ops(in.substr(0, split), in.substr(split));
  return 0;
}
