// The JSON report (our addition, --json): the XML report's content with the
// same names and order, for programs that would rather not parse XML.
// Written as `python3 -m json.tool` would lay it out (two-space indent).
#include <algorithm>
#include <cstdint>
#include <memory>
#include <variant>

#include "inspector.hpp"
#include "json.hpp"

namespace vt::inspector {

namespace {

// An ordered JSON value: members keep the order they were added in.
struct Node;
using Members = std::vector<std::pair<std::string, Node>>;
using Items = std::vector<Node>;
struct Node {
  std::variant<std::string, long long, Members, Items> v;
};

Node str(const std::string& s) { return Node{printable_text(s)}; }

// Standard base64 (RFC 4648), padded, on one line.
std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    size_t n = std::min<size_t>(3, bytes.size() - i);
    uint32_t group = 0;
    for (size_t k = 0; k < 3; ++k)
      group = (group << 8) | (k < n ? static_cast<uint8_t>(bytes[i + k]) : 0u);
    for (size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(group >> (18 - 6 * k)) & 0x3f] : '=';
  }
  return out;
}
Node num(long long n) { return Node{n}; }

void write(std::string& out, const Node& node, int depth) {
  std::string pad(static_cast<size_t>(2 * (depth + 1)), ' ');
  std::string close_pad(static_cast<size_t>(2 * depth), ' ');
  if (const auto* s = std::get_if<std::string>(&node.v)) {
    out += json::quote(*s);
  } else if (const auto* n = std::get_if<long long>(&node.v)) {
    out += std::to_string(*n);
  } else if (const auto* members = std::get_if<Members>(&node.v)) {
    if (members->empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    for (size_t i = 0; i < members->size(); ++i) {
      out += pad + json::quote((*members)[i].first) + ": ";
      write(out, (*members)[i].second, depth + 1);
      out += i + 1 < members->size() ? ",\n" : "\n";
    }
    out += close_pad + "}";
  } else if (const auto* items = std::get_if<Items>(&node.v)) {
    if (items->empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (size_t i = 0; i < items->size(); ++i) {
      out += pad;
      write(out, (*items)[i], depth + 1);
      out += i + 1 < items->size() ? ",\n" : "\n";
    }
    out += close_pad + "]";
  }
}

// The member, unless the value is libguestfs's "not known" (as in the XML).
void known(Members& m, const char* name, const std::string& value) {
  if (!value.empty() && value != "unknown") m.emplace_back(name, str(value));
}
void nonempty(Members& m, const char* name, const std::string& value) {
  if (!value.empty()) m.emplace_back(name, str(value));
}

Node application(const inspect::Application& app) {
  Members m;
  m.emplace_back("name", str(app.name));
  nonempty(m, "display_name", app.display_name);
  if (app.epoch != 0) m.emplace_back("epoch", num(app.epoch));
  nonempty(m, "version", app.version);
  nonempty(m, "release", app.release);
  nonempty(m, "arch", app.arch);
  nonempty(m, "install_path", app.install_path);
  nonempty(m, "publisher", app.publisher);
  nonempty(m, "url", app.url);
  nonempty(m, "source_package", app.source_package);
  nonempty(m, "summary", app.summary);
  nonempty(m, "description", app.description);
  return Node{std::move(m)};
}

Node operating_system(const OsReport& report) {
  const auto& f = report.root.facts;
  Members m;
  m.emplace_back("root", str(report.root.device));
  known(m, "name", f.type);
  known(m, "arch", f.arch);
  known(m, "distro", f.distro);
  known(m, "product_name", f.product_name);
  known(m, "product_variant", f.product_variant);
  m.emplace_back("major_version", num(f.major_version));
  m.emplace_back("minor_version", num(f.minor_version));
  nonempty(m, "windows_systemroot", f.windows_systemroot);
  nonempty(m, "windows_current_control_set", f.windows_current_control_set);
  known(m, "package_format", f.package_format);
  known(m, "package_management", f.package_management);
  known(m, "hostname", f.hostname);
  known(m, "osinfo", f.osinfo);

  Items mountpoints;
  for (const auto& [mountpoint, device] : sorted_mountpoints(report.root))
    mountpoints.push_back(Node{Members{{"dev", str(device)}, {"mountpoint", str(mountpoint)}}});
  m.emplace_back("mountpoints", Node{std::move(mountpoints)});

  Items filesystems;
  for (const auto& fs : report.filesystems) {
    Members fm{{"dev", str(fs.device)}};
    nonempty(fm, "type", fs.type);
    nonempty(fm, "label", fs.label);
    nonempty(fm, "uuid", fs.uuid);
    filesystems.push_back(Node{std::move(fm)});
  }
  m.emplace_back("filesystems", Node{std::move(filesystems)});

  if (!f.drive_mappings.empty()) {
    auto sorted = f.drive_mappings;
    std::sort(sorted.begin(), sorted.end());
    Items mappings;
    for (const auto& [letter, device] : sorted)
      mappings.push_back(Node{Members{{"name", str(letter)}, {"dev", str(device)}}});
    m.emplace_back("drive_mappings", Node{std::move(mappings)});
  }

  if (report.applications) {
    Items apps;
    for (const auto& app : *report.applications) apps.push_back(application(app));
    m.emplace_back("applications", Node{std::move(apps)});
  }
  if (!report.icon.empty()) m.emplace_back("icon", Node{base64(report.icon)});
  return Node{std::move(m)};
}

}  // namespace

std::string json_report(const std::vector<OsReport>& reports) {
  Items oses;
  for (const auto& report : reports) oses.push_back(operating_system(report));
  std::string out;
  write(out, Node{Members{{"operatingsystems", Node{std::move(oses)}}}}, 0);
  return out + "\n";
}

}  // namespace vt::inspector
