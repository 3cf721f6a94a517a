// The wire protocol between the library and the appliance daemon.
//
// A frame is a 32-bit big-endian length (of everything after it) followed by a
// fixed header and a payload.  The same encoder and decoder are compiled into
// the library and into the daemon.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vt::proto {

inline constexpr uint32_t kMagic = 0x56544c31;  // "VTL1"
inline constexpr uint32_t kVersion = 1;
inline constexpr size_t kMaxMessage = 4 * 1024 * 1024;
inline constexpr size_t kHeaderSize = 4 * 6 + 8;
// Stream chunks are kept well under the message cap.
inline constexpr size_t kChunkSize = 256 * 1024;

enum class Kind : uint32_t {
  call = 0,      // library -> daemon: a request
  reply = 1,     // daemon -> library: the result or an error
  chunk = 2,     // either way: one piece of a FileIn/FileOut stream
  progress = 3,  // daemon -> library: position/total of a long call
  ready = 4,     // daemon -> library: sent once at start
};

enum class Status : uint32_t { ok = 0, error = 1 };

struct Header {
  uint32_t magic = kMagic;
  uint32_t version = kVersion;
  uint32_t procedure = 0;
  uint32_t serial = 0;
  Kind kind = Kind::call;
  Status status = Status::ok;
  uint64_t optargs_mask = 0;
};

// Malformed or unexpected data on the wire.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Serialises values into a payload (little-endian, length-prefixed strings).
class Writer {
 public:
  void put_u8(uint8_t v) { buf_.push_back(static_cast<char>(v)); }
  void put_u32(uint32_t v);
  void put_u64(uint64_t v);
  void put_int(int32_t v) { put_u32(static_cast<uint32_t>(v)); }
  void put_int64(int64_t v) { put_u64(static_cast<uint64_t>(v)); }
  void put_bool(bool v) { put_u8(v ? 1 : 0); }
  void put_string(std::string_view s);
  void put_string_list(const std::vector<std::string>& list);
  void put_bytes(std::string_view raw) { buf_.append(raw); }
  const std::string& data() const { return buf_; }
  std::string take() { return std::move(buf_); }

 private:
  std::string buf_;
};

// Reads values back, checking every length against what is left.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  uint8_t get_u8();
  uint32_t get_u32();
  uint64_t get_u64();
  int32_t get_int() { return static_cast<int32_t>(get_u32()); }
  int64_t get_int64() { return static_cast<int64_t>(get_u64()); }
  bool get_bool();
  std::string get_string();
  std::vector<std::string> get_string_list();
  size_t remaining() const { return data_.size() - pos_; }
  std::string_view rest() const { return data_.substr(pos_); }
  // Every decoder ends with this: trailing bytes mean the two sides disagree.
  void expect_end() const;

 private:
  void need(size_t n, const char* what) const;
  std::string_view data_;
  size_t pos_ = 0;
};

// Rejects a decoded element count that cannot fit in what is left.
inline void check_count(const Reader& r, uint32_t count) {
  if (count > r.remaining()) throw ProtocolError("truncated message: element count too large");
}

// A whole decoded frame.
struct Message {
  Header header;
  std::string payload;
};

// Encodes header + payload into a frame, length prefix included.
std::string encode_frame(const Header& header, std::string_view payload);

// Parses the length prefix of a frame; throws if over the cap.
uint32_t decode_length(std::string_view prefix4);

// Parses a frame body (everything after the length prefix); checks magic,
// version and kind.
Message decode_body(std::string_view body);

// Error replies carry an errno name and a message.
struct ErrorPayload {
  std::string errno_name;
  std::string message;
};
std::string encode_error(const ErrorPayload& e);
ErrorPayload decode_error(std::string_view payload);

// A stream chunk: a cancel flag and bytes.  An empty, uncancelled chunk ends
// the stream.
struct Chunk {
  bool cancel = false;
  std::string data;
};
std::string encode_chunk(const Chunk& c);
Chunk decode_chunk(std::string_view payload);

struct Progress {
  uint64_t position = 0;
  uint64_t total = 0;
};
std::string encode_progress(const Progress& p);
Progress decode_progress(std::string_view payload);

// Collects bytes as they arrive and cuts them into frames.
class FrameBuffer {
 public:
  void append(std::string_view bytes) { buf_.append(bytes); }
  // The next complete frame, or nullopt if more bytes are needed.
  std::optional<Message> next();
  bool empty() const { return buf_.empty(); }
  // The bytes not yet handed out as frames (the channel becomes something else).
  std::string take_bytes() { return std::exchange(buf_, {}); }

 private:
  std::string buf_;
};

// Reads and writes whole frames on a blocking file descriptor.
// read_message returns nullopt on clean EOF before any byte of a frame.
std::optional<Message> read_message(int fd);
void write_message(int fd, const Header& header, std::string_view payload);

// errno <-> name, so an error keeps its meaning across the wire.
std::string errno_to_name(int err);
int errno_from_name(std::string_view name);

}  // namespace vt::proto
