// The library <-> daemon wire protocol: encoding, framing and rejection of bad data.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "protocol.hpp"

namespace vt::proto {

namespace {

// Expects fn to throw ProtocolError whose message contains `word`.
void expect_protocol_error(const std::function<void()>& fn, const std::string& word) {
  try {
    fn();
    ADD_FAILURE() << "expected ProtocolError containing \"" << word << "\"";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find(word), std::string::npos)
        << "message \"" << e.what() << "\" lacks \"" << word << "\"";
  }
}

Header sample_header() {
  Header h;
  h.procedure = 42;
  h.serial = 0xdeadbeef;
  h.kind = Kind::reply;
  h.status = Status::error;
  h.optargs_mask = 0x8000000000000001ULL;
  return h;
}

void expect_same_header(const Header& a, const Header& b) {
  EXPECT_EQ(a.magic, b.magic);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.procedure, b.procedure);
  EXPECT_EQ(a.serial, b.serial);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.optargs_mask, b.optargs_mask);
}

// A socketpair closed on scope exit.
struct SocketPair {
  int fd[2] = {-1, -1};
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fd), 0); }
  ~SocketPair() {
    close_end(0);
    close_end(1);
  }
  void close_end(int i) {
    if (fd[i] >= 0) ::close(fd[i]);
    fd[i] = -1;
  }
};

}  // namespace

// Every argument type must survive encoding unchanged, bit for bit.
TEST(Protocol, EveryTypeRoundTripsThroughWriterAndReader) {
  const std::string binary{'a', '\0', 'b', '\xff', '\x80', '\0'};
  const std::vector<std::string> list{"one", "", binary, "four"};
  Writer w;
  w.put_u8(0xab);
  w.put_u32(0xfedcba98);
  w.put_u64(0x0123456789abcdefULL);
  w.put_int(-7);
  w.put_int(std::numeric_limits<int32_t>::min());
  w.put_int64(std::numeric_limits<int64_t>::min());
  w.put_int64(std::numeric_limits<int64_t>::max());
  w.put_bool(true);
  w.put_bool(false);
  w.put_string("");
  w.put_string(binary);
  w.put_string_list({});
  w.put_string_list(list);
  w.put_bytes("raw!");

  Reader r(w.data());
  EXPECT_EQ(r.get_u8(), 0xab);
  EXPECT_EQ(r.get_u32(), 0xfedcba98u);
  EXPECT_EQ(r.get_u64(), 0x0123456789abcdefULL);
  EXPECT_EQ(r.get_int(), -7);
  EXPECT_EQ(r.get_int(), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(r.get_int64(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(r.get_int64(), std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(r.get_bool());
  EXPECT_FALSE(r.get_bool());
  EXPECT_EQ(r.get_string(), "");
  EXPECT_EQ(r.get_string(), binary);
  EXPECT_TRUE(r.get_string_list().empty());
  EXPECT_EQ(r.get_string_list(), list);
  EXPECT_EQ(r.rest(), "raw!");
  Reader tail(r.rest());
  for (char c : std::string("raw!")) EXPECT_EQ(tail.get_u8(), static_cast<uint8_t>(c));
  EXPECT_NO_THROW(tail.expect_end());
}

// Frames arrive in arbitrary pieces: a frame must appear only once complete, intact.
TEST(Protocol, FrameRoundTripsThroughFrameBufferAndDecoders) {
  const Header h = sample_header();
  const std::string payload{'p', '\0', '\xfe', 'q'};
  const std::string frame = encode_frame(h, payload);
  ASSERT_EQ(frame.size(), 4 + kHeaderSize + payload.size());

  FrameBuffer fb;
  for (size_t i = 0; i < frame.size(); ++i) {
    EXPECT_FALSE(fb.next().has_value()) << "frame appeared after " << i << " bytes";
    fb.append(frame.substr(i, 1));
  }
  auto m = fb.next();
  ASSERT_TRUE(m.has_value());
  expect_same_header(m->header, h);
  EXPECT_EQ(m->payload, payload);
  EXPECT_TRUE(fb.empty());

  uint32_t len = decode_length(frame.substr(0, 4));
  EXPECT_EQ(len, frame.size() - 4);
  Message d = decode_body(std::string_view(frame).substr(4, len));
  expect_same_header(d.header, h);
  EXPECT_EQ(d.payload, payload);
}

// Back-to-back frames in one read must come out separately and in order.
TEST(Protocol, ConcatenatedFramesComeOutInOrder) {
  Header a = sample_header();
  Header b;
  b.serial = 2;
  b.kind = Kind::progress;
  FrameBuffer fb;
  fb.append(encode_frame(a, "first") + encode_frame(b, ""));
  auto m1 = fb.next();
  auto m2 = fb.next();
  ASSERT_TRUE(m1 && m2);
  expect_same_header(m1->header, a);
  EXPECT_EQ(m1->payload, "first");
  expect_same_header(m2->header, b);
  EXPECT_EQ(m2->payload, "");
  EXPECT_FALSE(fb.next().has_value());
  EXPECT_TRUE(fb.empty());
}

// Error replies, stream chunks and progress are the fixed payloads every call relies on.
TEST(Protocol, ErrorChunkAndProgressPayloadsRoundTrip) {
  ErrorPayload e = decode_error(encode_error({"ENOENT", "no such file: /etc/x"}));
  EXPECT_EQ(e.errno_name, "ENOENT");
  EXPECT_EQ(e.message, "no such file: /etc/x");

  const std::string data{'\0', '\x01', '\xff'};
  Chunk c = decode_chunk(encode_chunk({false, data}));
  EXPECT_FALSE(c.cancel);
  EXPECT_EQ(c.data, data);
  Chunk cancel = decode_chunk(encode_chunk({true, ""}));
  EXPECT_TRUE(cancel.cancel);
  EXPECT_EQ(cancel.data, "");

  Progress p = decode_progress(encode_progress({12345, 0xffffffffffULL}));
  EXPECT_EQ(p.position, 12345u);
  EXPECT_EQ(p.total, 0xffffffffffULL);
}

// Short data must be an error, never a read past the buffer.
TEST(ProtocolRejects, TruncatedData) {
  Writer w;
  w.put_u32(7);
  expect_protocol_error([&] { Reader(w.data()).get_u64(); }, "truncated");
  expect_protocol_error([] { Reader("").get_u8(); }, "truncated");
  Writer s;
  s.put_string("hello");
  expect_protocol_error([&] { Reader(std::string_view(s.data()).substr(0, 6)).get_string(); },
                        "truncated");
  const std::string frame = encode_frame(sample_header(), "");
  expect_protocol_error([&] { decode_body(std::string_view(frame).substr(4, kHeaderSize - 1)); },
                        "header");
  expect_protocol_error([] { decode_length(std::string("\0\0\0\x05", 4)); }, "header");
  expect_protocol_error([] { decode_length("ab"); }, "truncated");
}

// A hostile length prefix must not make the reader allocate gigabytes.
TEST(ProtocolRejects, LengthOverTheCap) {
  expect_protocol_error([] { decode_length(std::string("\x00\x50\x00\x00", 4)); }, "exceeds");
  FrameBuffer fb;
  fb.append(std::string("\x00\x50\x00\x00", 4));
  EXPECT_THROW(fb.next(), ProtocolError);
}

// The sender must refuse to produce a frame the receiver would reject.
TEST(ProtocolRejects, EncodingPayloadOverTheCap) {
  const std::string big(kMaxMessage, 'x');
  expect_protocol_error([&] { encode_frame(Header{}, big); }, "exceeds");
}

// Talking to something that is not our daemon (or another version) must fail loudly.
TEST(ProtocolRejects, BadMagicVersionKindAndStatus) {
  auto body_of = [](const Header& h) { return encode_frame(h, "").substr(4); };
  Header magic;
  magic.magic = 0x12345678;
  expect_protocol_error([&] { decode_body(body_of(magic)); }, "magic");
  Header version;
  version.version = kVersion + 1;
  expect_protocol_error([&] { decode_body(body_of(version)); }, "version");
  Header kind;
  kind.kind = static_cast<Kind>(99);
  expect_protocol_error([&] { decode_body(body_of(kind)); }, "kind");
  Header status;
  status.status = static_cast<Status>(2);
  expect_protocol_error([&] { decode_body(body_of(status)); }, "status");
}

// A boolean byte other than 0/1 means the two sides disagree on layout.
TEST(ProtocolRejects, BadBooleanByte) {
  expect_protocol_error([] { Reader(std::string(1, '\x02')).get_bool(); }, "boolean");
  expect_protocol_error([] { decode_chunk(std::string("\x07\0\0\0\0", 5)); }, "boolean");
}

// An absurd element count must be rejected before reserving memory for it.
TEST(ProtocolRejects, AbsurdStringListCount) {
  Writer w;
  w.put_u32(0xffffffff);
  w.put_string("only one");
  expect_protocol_error([&] { Reader(w.data()).get_string_list(); }, "too large");
  Writer two;
  two.put_u32(2);  // claims two elements but has room for only one length
  two.put_u32(0);
  expect_protocol_error([&] { Reader(two.data()).get_string_list(); }, "truncated");
}

// Leftover bytes mean the decoder and encoder disagree; they must not be ignored.
TEST(ProtocolRejects, TrailingBytes) {
  Writer w;
  w.put_u8(1);
  w.put_u8(2);
  Reader r(w.data());
  r.get_u8();
  expect_protocol_error([&] { r.expect_end(); }, "trailing");
  std::string progress = encode_progress({1, 2}) + "x";
  expect_protocol_error([&] { decode_progress(progress); }, "trailing");
}

// errno values cross the wire by name; unknown ones degrade to EIO, not garbage.
TEST(Protocol, ErrnoNamesRoundTrip) {
  for (int err : {ENOENT, EINVAL, EROFS}) EXPECT_EQ(errno_from_name(errno_to_name(err)), err);
  EXPECT_EQ(errno_to_name(ENOENT), "ENOENT");
  EXPECT_EQ(errno_to_name(EINVAL), "EINVAL");
  EXPECT_EQ(errno_to_name(EROFS), "EROFS");
  EXPECT_EQ(errno_to_name(99999), "EIO");
  EXPECT_EQ(errno_from_name("ENOSUCHERRNO"), EIO);
}

// The real transport: a whole message over a stream socket arrives intact.
TEST(ProtocolSocket, MessageRoundTrip) {
  SocketPair sp;
  const Header h = sample_header();
  const std::string payload = encode_error({"EROFS", "read-only"});
  write_message(sp.fd[0], h, payload);
  auto m = read_message(sp.fd[1]);
  ASSERT_TRUE(m.has_value());
  expect_same_header(m->header, h);
  EXPECT_EQ(decode_error(m->payload).errno_name, "EROFS");
}

// The daemon going away between frames is a normal shutdown, not an error.
TEST(ProtocolSocket, CleanEofReturnsNullopt) {
  SocketPair sp;
  sp.close_end(0);
  EXPECT_FALSE(read_message(sp.fd[1]).has_value());
}

// The daemon dying mid-frame must be reported, not mistaken for a clean exit.
TEST(ProtocolSocket, EofMidFrameThrows) {
  SocketPair sp;
  const std::string frame = encode_frame(sample_header(), "payload");
  const std::string half = frame.substr(0, frame.size() / 2);
  ASSERT_EQ(::write(sp.fd[0], half.data(), half.size()), static_cast<ssize_t>(half.size()));
  sp.close_end(0);
  expect_protocol_error([&] { read_message(sp.fd[1]); }, "truncated");
}

}  // namespace vt::proto
