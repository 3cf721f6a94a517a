// inspect_get_icon: the guest's own logo, as a PNG file it ships.  Which file
// each distribution ships, and how large it may reasonably be, are the facts
// libguestfs 1.48 uses, so the same guests get the same icons.
//
// The guest is hostile: a candidate is read with one capped pread (the daemon
// opens regular files only, inside the guest root), and kept only if it is a
// PNG whose header gives a sane geometry.
#include <optional>
#include <string_view>

#include "bytes.hpp"
#include "errors.hpp"
#include "handle.hpp"
#include "inspect.hpp"

namespace vt::inspect {

namespace {

constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";

// With no fixed cap, a PNG may take 4 bytes a pixel: at most 4 MiB for the
// largest geometry accepted.  The first read takes this much, which holds
// every distribution's logo whole.
constexpr uint32_t kFirstRead = 64 * 1024;

std::optional<std::string> pread_or_none(Handle& h, const std::string& path, uint32_t count, uint64_t offset) {
  try {
    return h.pread(path, static_cast<int32_t>(count), static_cast<int64_t>(offset));
  } catch (const CallError&) {
    return std::nullopt;  // missing, not a regular file, unreadable: no icon
  }
}

// The PNG at `path` if it passes the checks, else nullopt.  `max_size` 0
// means "4 bytes a pixel of its own geometry".
std::optional<std::string> png_file(Handle& h, const std::string& path, uint32_t max_size) {
  uint32_t first = max_size != 0 ? max_size + 1 : kFirstRead;
  auto data = pread_or_none(h, path, first, 0);
  if (!data) return std::nullopt;
  auto geometry = png_geometry(*data);
  if (!geometry) return std::nullopt;
  auto [width, height] = *geometry;
  if (width < 16 || height < 16 || width > 1024 || height > 1024) return std::nullopt;
  uint64_t cap = max_size != 0 ? max_size : uint64_t{4} * width * height;
  if (data->size() == first && cap + 1 > first) {
    // The file goes on: read what the cap still allows, and one byte more.
    auto rest = pread_or_none(h, path, static_cast<uint32_t>(cap + 1 - first), first);
    if (!rest) return std::nullopt;
    *data += *rest;
  }
  if (data->size() > cap) return std::nullopt;  // unreasonably large for its geometry
  return data;
}

std::optional<std::string> first_png(Handle& h, std::initializer_list<const char*> paths, uint32_t max_size) {
  for (const char* path : paths)
    if (auto png = png_file(h, path, max_size)) return png;
  return std::nullopt;
}

std::optional<std::string> distribution_icon(Handle& h, const Root& root, bool highquality) {
  const auto& f = root.facts;
  if (f.type == "linux" || f.type == "hurd") {
    const std::string& d = f.distro;
    if (d == "fedora") return first_png(h, {"/usr/share/icons/hicolor/96x96/apps/fedora-logo-icon.png"}, 0);
    if (d == "rhel" || d == "redhat-based" || d == "centos" || d == "scientificlinux" || d == "oraclelinux") {
      // The RHEL clones ship their own logo under the same name.
      return first_png(h,
                       {f.major_version < 7 ? "/usr/share/pixmaps/redhat/shadowman-transparent.png"
                                            : "/usr/share/pixmaps/fedora-logo-sprite.png"},
                       100 * 1024);
    }
    if (d == "debian") return first_png(h, {"/usr/share/pixmaps/debian-logo.png"}, 2048);
    if (d == "ubuntu") {
      if (highquality) return std::nullopt;  // Ubuntu's logos are all small
      return first_png(h,
                       {"/usr/share/icons/gnome/24x24/places/ubuntu-logo.png",
                        "/usr/share/help/C/ubuntu-help/figures/ubuntu-logo.png"},
                       2048);
    }
    if (d == "mageia") return first_png(h, {"/usr/share/icons/mageia.png"}, 2048);
    if (d == "opensuse" || d == "sles" || d == "suse-based")
      return first_png(h, {"/usr/share/icons/hicolor/24x24/apps/distributor.png"}, 2048);
    if (d == "voidlinux") return first_png(h, {"/usr/share/void-artwork/void-logo.png"}, 20 * 1024);
    if (d == "altlinux") return first_png(h, {"/usr/share/icons/hicolor/48x48/apps/altlinux.png"}, 20 * 1024);
    return std::nullopt;
  }
  if (f.type == "windows" && !highquality && f.major_version == 6 && f.minor_version == 2) {
    // Windows 8 ships its logo as a PNG.  (XP and 7 keep theirs as bitmap
    // resources inside explorer.exe: not extracted.)
    auto path = try_case_sensitive_path(h, "/ProgramData/Microsoft/Windows Live/WLive48x48.png");
    if (path) return png_file(h, *path, 8192);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::pair<uint32_t, uint32_t>> png_geometry(std::string_view bytes) {
  // Signature, then the IHDR chunk first: length, "IHDR", width, height.
  if (bytes.size() < 24 || bytes.substr(0, 8) != kPngSignature || bytes.substr(12, 4) != "IHDR") return std::nullopt;
  auto width = static_cast<uint32_t>(bytes::load_be(bytes, 16, 4));
  auto height = static_cast<uint32_t>(bytes::load_be(bytes, 20, 4));
  return std::make_pair(width, height);
}

std::string guest_icon(Handle& h, const Root& root, bool favicon, bool highquality) {
  // A favicon is never high quality.
  if (favicon && !highquality) {
    std::optional<std::string> path = "/etc/favicon.png";
    if (root.facts.type == "windows") path = try_case_sensitive_path(h, *path);
    if (path)
      if (auto png = png_file(h, *path, 0)) return *png;
  }
  return distribution_icon(h, root, highquality).value_or("");
}

}  // namespace vt::inspect
