// Parsing of rpm header blobs (see rpm_header.hpp).
#include "rpm_header.hpp"

#include <set>

namespace vt::rpm {

namespace {

// Limits as rpm applies them to headers it reads (HEADER_TAGS_MAX, HEADER_DATA_MAX).
constexpr uint32_t kMaxEntries = 0xffff;
constexpr uint32_t kMaxData = 0x0fffffff;
constexpr size_t kEntrySize = 16;

enum Type : uint32_t {
  kNull = 0, kChar = 1, kInt8 = 2, kInt16 = 3, kInt32 = 4, kInt64 = 5,
  kString = 6, kBin = 7, kStringArray = 8, kI18nString = 9,
};

enum Tag : uint32_t {
  kName = 1000, kVersion = 1001, kRelease = 1002, kEpoch = 1003, kSummary = 1004,
  kDescription = 1005, kUrl = 1020, kArch = 1022, kSourceRpm = 1044,
};

uint32_t be32(std::string_view bytes, size_t at) {
  return (uint32_t{static_cast<unsigned char>(bytes[at])} << 24) |
         (uint32_t{static_cast<unsigned char>(bytes[at + 1])} << 16) |
         (uint32_t{static_cast<unsigned char>(bytes[at + 2])} << 8) |
         uint32_t{static_cast<unsigned char>(bytes[at + 3])};
}

struct Entry {
  uint32_t tag, type, offset, count;
};

std::string describe(const Entry& e) { return "tag " + std::to_string(e.tag); }

// The first string of a STRING, STRING_ARRAY or I18NSTRING entry.
std::string string_value(std::string_view data, const Entry& e) {
  if (e.type != kString && e.type != kStringArray && e.type != kI18nString)
    throw HeaderError(describe(e) + ": type " + std::to_string(e.type) + " is not a string");
  if (e.count == 0) throw HeaderError(describe(e) + ": no strings");
  if (e.offset >= data.size()) throw HeaderError(describe(e) + ": offset past the data");
  size_t end = data.find('\0', e.offset);
  if (end == std::string_view::npos) throw HeaderError(describe(e) + ": string is not terminated");
  return std::string(data.substr(e.offset, end - e.offset));
}

int32_t int32_value(std::string_view data, const Entry& e) {
  if (e.type != kInt32) throw HeaderError(describe(e) + ": type " + std::to_string(e.type) + " is not INT32");
  if (e.count == 0) throw HeaderError(describe(e) + ": no values");
  if (data.size() < 4 || e.offset > data.size() - 4) throw HeaderError(describe(e) + ": offset past the data");
  return static_cast<int32_t>(be32(data, e.offset));
}

}  // namespace

HeaderFields parse_header(std::string_view blob) {
  if (blob.size() < 8) throw HeaderError("header is truncated (" + std::to_string(blob.size()) + " bytes)");
  uint32_t entry_count = be32(blob, 0);
  uint32_t data_size = be32(blob, 4);
  if (entry_count == 0 || entry_count > kMaxEntries)
    throw HeaderError("header has a bad entry count (" + std::to_string(entry_count) + ")");
  if (data_size > kMaxData) throw HeaderError("header has a bad data size (" + std::to_string(data_size) + ")");
  uint64_t data_start = 8 + uint64_t{entry_count} * kEntrySize;
  if (blob.size() < data_start + data_size)
    throw HeaderError("header is truncated (" + std::to_string(blob.size()) + " bytes, needs " +
                      std::to_string(data_start + data_size) + ")");
  std::string_view data = blob.substr(data_start, data_size);

  HeaderFields fields;
  std::set<uint32_t> seen;
  for (uint32_t i = 0; i < entry_count; ++i) {
    size_t at = 8 + size_t{i} * kEntrySize;
    Entry e{be32(blob, at), be32(blob, at + 4), be32(blob, at + 8), be32(blob, at + 12)};
    if (e.type > kI18nString) throw HeaderError(describe(e) + ": unknown type " + std::to_string(e.type));
    // The first entry of a tag wins, as rpm's lookup finds it.
    if (!seen.insert(e.tag).second) continue;
    switch (e.tag) {
      case kName: fields.name = string_value(data, e); break;
      case kVersion: fields.version = string_value(data, e); break;
      case kRelease: fields.release = string_value(data, e); break;
      case kEpoch: fields.epoch = int32_value(data, e); break;
      case kSummary: fields.summary = string_value(data, e); break;
      case kDescription: fields.description = string_value(data, e); break;
      case kUrl: fields.url = string_value(data, e); break;
      case kArch: fields.arch = string_value(data, e); break;
      case kSourceRpm: fields.source_rpm = string_value(data, e); break;
      default: break;
    }
  }
  if (fields.name.empty()) throw HeaderError("header has no package name");
  if (!seen.count(kVersion)) throw HeaderError("header of " + fields.name + " has no version");
  if (!seen.count(kRelease)) throw HeaderError("header of " + fields.name + " has no release");
  return fields;
}

}  // namespace vt::rpm
