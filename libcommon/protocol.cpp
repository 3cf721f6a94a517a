#include "protocol.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace vt::proto {

void Writer::put_u32(uint32_t v) {
  for (int i = 0; i < 4; ++i) put_u8(static_cast<uint8_t>(v >> (8 * i)));
}

void Writer::put_u64(uint64_t v) {
  for (int i = 0; i < 8; ++i) put_u8(static_cast<uint8_t>(v >> (8 * i)));
}

void Writer::put_string(std::string_view s) {
  if (s.size() > kMaxMessage) throw ProtocolError("string too long for the protocol");
  put_u32(static_cast<uint32_t>(s.size()));
  buf_.append(s);
}

void Writer::put_string_list(const std::vector<std::string>& list) {
  put_u32(static_cast<uint32_t>(list.size()));
  for (const auto& s : list) put_string(s);
}

void Reader::need(size_t n, const char* what) const {
  if (remaining() < n)
    throw ProtocolError(std::string("truncated message: expected ") + what + " at offset " +
                        std::to_string(pos_));
}

uint8_t Reader::get_u8() {
  need(1, "a byte");
  return static_cast<uint8_t>(data_[pos_++]);
}

uint32_t Reader::get_u32() {
  need(4, "a 32-bit integer");
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
  pos_ += 4;
  return v;
}

uint64_t Reader::get_u64() {
  need(8, "a 64-bit integer");
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
  pos_ += 8;
  return v;
}

bool Reader::get_bool() {
  uint8_t b = get_u8();
  if (b > 1) throw ProtocolError("bad boolean value " + std::to_string(b));
  return b == 1;
}

std::string Reader::get_string() {
  uint32_t len = get_u32();
  need(len, "string bytes");
  std::string s(data_.substr(pos_, len));
  pos_ += len;
  return s;
}

std::vector<std::string> Reader::get_string_list() {
  uint32_t count = get_u32();
  // Each element needs at least its 4-byte length: reject absurd counts early.
  if (count > remaining() / 4) throw ProtocolError("truncated message: string list count too large");
  std::vector<std::string> out;
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) out.push_back(get_string());
  return out;
}

void Reader::expect_end() const {
  if (remaining() != 0)
    throw ProtocolError("message has " + std::to_string(remaining()) + " unexpected trailing bytes");
}

std::string encode_frame(const Header& h, std::string_view payload) {
  size_t body = kHeaderSize + payload.size();
  if (body > kMaxMessage)
    throw ProtocolError("message of " + std::to_string(body) + " bytes exceeds the " +
                        std::to_string(kMaxMessage) + " byte limit");
  std::string out;
  out.reserve(4 + body);
  // Length prefix is big-endian so a hexdump of the stream reads naturally.
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>(body >> (8 * i)));
  Writer w;
  w.put_u32(h.magic);
  w.put_u32(h.version);
  w.put_u32(h.procedure);
  w.put_u32(h.serial);
  w.put_u32(static_cast<uint32_t>(h.kind));
  w.put_u32(static_cast<uint32_t>(h.status));
  w.put_u64(h.optargs_mask);
  out += w.data();
  out.append(payload);
  return out;
}

uint32_t decode_length(std::string_view prefix4) {
  if (prefix4.size() < 4) throw ProtocolError("truncated message: incomplete length prefix");
  uint32_t len = 0;
  for (int i = 0; i < 4; ++i) len = (len << 8) | static_cast<uint8_t>(prefix4[i]);
  if (len > kMaxMessage)
    throw ProtocolError("message length " + std::to_string(len) + " exceeds the " +
                        std::to_string(kMaxMessage) + " byte limit");
  if (len < kHeaderSize) throw ProtocolError("truncated message: shorter than a header");
  return len;
}

Message decode_body(std::string_view body) {
  Reader r(body);
  Message m;
  if (body.size() < kHeaderSize) throw ProtocolError("truncated message: shorter than a header");
  m.header.magic = r.get_u32();
  if (m.header.magic != kMagic) throw ProtocolError("bad magic number in message (not our protocol)");
  m.header.version = r.get_u32();
  if (m.header.version != kVersion)
    throw ProtocolError("protocol version mismatch: got " + std::to_string(m.header.version) +
                        ", expected " + std::to_string(kVersion));
  m.header.procedure = r.get_u32();
  m.header.serial = r.get_u32();
  uint32_t kind = r.get_u32();
  if (kind > static_cast<uint32_t>(Kind::ready)) throw ProtocolError("unknown message kind " + std::to_string(kind));
  m.header.kind = static_cast<Kind>(kind);
  uint32_t status = r.get_u32();
  if (status > 1) throw ProtocolError("unknown message status " + std::to_string(status));
  m.header.status = static_cast<Status>(status);
  m.header.optargs_mask = r.get_u64();
  m.payload = std::string(r.rest());
  return m;
}

std::optional<Message> FrameBuffer::next() {
  if (buf_.size() < 4) return std::nullopt;
  uint32_t len = decode_length(std::string_view(buf_).substr(0, 4));
  if (buf_.size() < 4 + static_cast<size_t>(len)) return std::nullopt;
  Message m = decode_body(std::string_view(buf_).substr(4, len));
  buf_.erase(0, 4 + static_cast<size_t>(len));
  return m;
}

std::string encode_error(const ErrorPayload& e) {
  Writer w;
  w.put_string(e.errno_name);
  w.put_string(e.message);
  return w.take();
}

ErrorPayload decode_error(std::string_view payload) {
  Reader r(payload);
  ErrorPayload e;
  e.errno_name = r.get_string();
  e.message = r.get_string();
  r.expect_end();
  return e;
}

std::string encode_chunk(const Chunk& c) {
  Writer w;
  w.put_bool(c.cancel);
  w.put_string(c.data);
  return w.take();
}

Chunk decode_chunk(std::string_view payload) {
  Reader r(payload);
  Chunk c;
  c.cancel = r.get_bool();
  c.data = r.get_string();
  r.expect_end();
  return c;
}

std::string encode_progress(const Progress& p) {
  Writer w;
  w.put_u64(p.position);
  w.put_u64(p.total);
  return w.take();
}

Progress decode_progress(std::string_view payload) {
  Reader r(payload);
  Progress p;
  p.position = r.get_u64();
  p.total = r.get_u64();
  r.expect_end();
  return p;
}

namespace {

// Returns false on EOF before the first byte; throws on EOF in the middle.
bool read_exact(int fd, char* buf, size_t len, bool eof_ok) {
  size_t got = 0;
  while (got < len) {
    ssize_t n = ::read(fd, buf + got, len - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw ProtocolError(std::string("read: ") + std::strerror(errno));
    }
    if (n == 0) {
      if (got == 0 && eof_ok) return false;
      throw ProtocolError("truncated message: connection closed mid-frame");
    }
    got += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

std::optional<Message> read_message(int fd) {
  char prefix[4];
  if (!read_exact(fd, prefix, 4, true)) return std::nullopt;
  uint32_t len = decode_length(std::string_view(prefix, 4));
  std::string body(len, '\0');
  read_exact(fd, body.data(), len, false);
  return decode_body(body);
}

void write_message(int fd, const Header& header, std::string_view payload) {
  std::string frame = encode_frame(header, payload);
  size_t done = 0;
  while (done < frame.size()) {
    ssize_t n = ::write(fd, frame.data() + done, frame.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw ProtocolError(std::string("write: ") + std::strerror(errno));
    }
    done += static_cast<size_t>(n);
  }
}

namespace {
struct ErrnoName {
  int value;
  const char* name;
};
constexpr ErrnoName kErrnoNames[] = {
    {EPERM, "EPERM"},   {ENOENT, "ENOENT"},     {EIO, "EIO"},         {ENXIO, "ENXIO"},
    {EBADF, "EBADF"},   {ENOMEM, "ENOMEM"},     {EACCES, "EACCES"},   {EBUSY, "EBUSY"},
    {EEXIST, "EEXIST"}, {ENODEV, "ENODEV"},     {ENOTDIR, "ENOTDIR"}, {EISDIR, "EISDIR"},
    {EINVAL, "EINVAL"}, {EFBIG, "EFBIG"},       {ENOSPC, "ENOSPC"},   {EROFS, "EROFS"},
    {ELOOP, "ELOOP"},   {ENAMETOOLONG, "ENAMETOOLONG"}, {ENOTEMPTY, "ENOTEMPTY"},
    {ENOTSUP, "ENOTSUP"}, {ECANCELED, "ECANCELED"}, {EXDEV, "EXDEV"}, {ERANGE, "ERANGE"},
    {ENOTBLK, "ENOTBLK"}, {EPROTO, "EPROTO"},   {ETIMEDOUT, "ETIMEDOUT"},
};
}  // namespace

std::string errno_to_name(int err) {
  for (const auto& e : kErrnoNames)
    if (e.value == err) return e.name;
  return err == 0 ? "" : "EIO";
}

int errno_from_name(std::string_view name) {
  for (const auto& e : kErrnoNames)
    if (name == e.name) return e.value;
  return name.empty() ? 0 : EIO;
}

}  // namespace vt::proto
