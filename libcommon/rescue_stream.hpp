// The rescue shell's stream: what the daemon's channel carries once
// internal_rescue has answered (virt-rescue).  Both ways it is a sequence of
// frames, a kind byte and a 32-bit big-endian length, then the payload, so
// the terminal's bytes and the escape commands (sync, unmount, window size)
// never mix.  Header-only: the daemon links none of libcommon's handle code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vt::rescue {

enum class Frame : char {
  // library -> daemon
  input = 'i',        // bytes typed at the terminal, for the shell
  window = 'w',       // the terminal's size: rows and columns, 16 bits each
  sync = 's',         // sync(2), answered by a notice
  unmount = 'u',      // unmount every guest filesystem, answered by a notice
  end_of_input = 'e', // the library's input ended (not a terminal): end the shell's input
  hang_up = 'h',      // end the session now: the shell is killed, the disks synced
  // daemon -> library
  output = 'o',       // what the shell wrote to its terminal
  notice = 'n',       // one line answering sync or unmount
  exited = 'x',       // the shell ended and the disks are synced; payload: its exit status (decimal)
};

// A frame's payload is at most this big: a larger length means the stream is
// out of step, and the session ends.
inline constexpr uint32_t kMaxPayload = 1 << 20;

inline std::string encode_frame(Frame kind, std::string_view payload) {
  std::string out;
  out.reserve(5 + payload.size());
  out += static_cast<char>(kind);
  auto n = static_cast<uint32_t>(payload.size());
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xff);
  out.append(payload);
  return out;
}

inline std::string encode_window(unsigned rows, unsigned cols) {
  std::string p;
  for (unsigned v : {rows, cols}) {
    p += static_cast<char>((v >> 8) & 0xff);
    p += static_cast<char>(v & 0xff);
  }
  return encode_frame(Frame::window, p);
}

struct Decoded {
  Frame kind;
  std::string payload;
};

// Collects bytes as they arrive and hands out whole frames.
class FrameReader {
 public:
  void append(std::string_view bytes) { buf_.append(bytes); }
  // The next whole frame; nullopt if more bytes are needed.  Sets `broken`
  // (and returns nullopt from then on) on a length over kMaxPayload.
  std::optional<Decoded> next() {
    if (broken_ || buf_.size() < 5) return std::nullopt;
    uint32_t n = 0;
    for (int i = 1; i <= 4; ++i) n = (n << 8) | static_cast<unsigned char>(buf_[i]);
    if (n > kMaxPayload) {
      broken_ = true;
      return std::nullopt;
    }
    if (buf_.size() < 5 + size_t{n}) return std::nullopt;
    Decoded d{static_cast<Frame>(buf_[0]), buf_.substr(5, n)};
    buf_.erase(0, 5 + size_t{n});
    return d;
  }
  bool broken() const { return broken_; }

 private:
  std::string buf_;
  bool broken_ = false;
};

}  // namespace vt::rescue
