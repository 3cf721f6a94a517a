// The inspect_* calls of the API table (kLibrary): thin readers of what
// inspect_os left in the handle (libcommon/inspect.cpp).
#include "errors.hpp"
#include "handle.hpp"
#include "inspect.hpp"
#include "trace_format.hpp"

namespace vt {

namespace {

const inspect::Root& root_of(Handle& h, const char* call, const std::string& root) {
  const auto& state = h.inspection();
  if (!state.done) throw Error(std::string(call) + ": no inspection data: call inspect_os first");
  const inspect::Root* r = state.find(root);
  if (!r) throw Error(std::string(call) + ": " + root + ": not a root filesystem found by inspect_os");
  return *r;
}

const inspect::Root& windows_root_of(Handle& h, const char* call, const std::string& root) {
  const auto& r = root_of(h, call, root);
  if (r.facts.type != "windows") throw Error(std::string(call) + ": " + root + ": not a Windows root");
  return r;
}

api::application2 to_api(const inspect::Application& a) {
  api::application2 out;
  out.app2_name = a.name;
  out.app2_display_name = a.display_name;
  out.app2_epoch = a.epoch;
  out.app2_version = a.version;
  out.app2_release = a.release;
  out.app2_arch = a.arch;
  out.app2_install_path = a.install_path;
  out.app2_trans_path = a.trans_path;
  out.app2_publisher = a.publisher;
  out.app2_url = a.url;
  out.app2_source_package = a.source_package;
  out.app2_summary = a.summary;
  out.app2_description = a.description;
  return out;
}

}  // namespace

// One traced body per call: NAME(root) -> expression over the root `r`.
#define VT_INSPECT_GETTER(NAME, TYPE, LOOKUP, EXPR)                  \
  TYPE Handle::NAME(const std::string& root) {                       \
    if (trace_enabled()) trace_call(#NAME, {trace_format(root)});    \
    const auto& r = LOOKUP(*this, #NAME, root);                      \
    TYPE ret = EXPR;                                                 \
    if (trace_enabled()) trace_return(#NAME, trace_format(ret));     \
    return ret;                                                      \
  }

std::vector<std::string> Handle::inspect_os() {
  if (trace_enabled()) trace_call("inspect_os", {});
  auto ret = inspect::inspect_os(*this);
  if (trace_enabled()) trace_return("inspect_os", trace_format(ret));
  return ret;
}

std::vector<std::string> Handle::inspect_get_roots() {
  if (trace_enabled()) trace_call("inspect_get_roots", {});
  std::vector<std::string> ret;
  for (const auto& r : inspection().roots) ret.push_back(r.device);
  if (trace_enabled()) trace_return("inspect_get_roots", trace_format(ret));
  return ret;
}

using Hash = std::vector<std::pair<std::string, std::string>>;

VT_INSPECT_GETTER(inspect_get_type, std::string, root_of, r.facts.type)
VT_INSPECT_GETTER(inspect_get_distro, std::string, root_of, r.facts.distro)
VT_INSPECT_GETTER(inspect_get_product_name, std::string, root_of, r.facts.product_name)
VT_INSPECT_GETTER(inspect_get_product_variant, std::string, root_of, r.facts.product_variant)
VT_INSPECT_GETTER(inspect_get_major_version, int32_t, root_of, r.facts.major_version)
VT_INSPECT_GETTER(inspect_get_minor_version, int32_t, root_of, r.facts.minor_version)
VT_INSPECT_GETTER(inspect_get_arch, std::string, root_of, r.facts.arch)
VT_INSPECT_GETTER(inspect_get_hostname, std::string, root_of, r.facts.hostname)
VT_INSPECT_GETTER(inspect_get_package_format, std::string, root_of, r.facts.package_format)
VT_INSPECT_GETTER(inspect_get_package_management, std::string, root_of, r.facts.package_management)
VT_INSPECT_GETTER(inspect_get_mountpoints, Hash, root_of, r.mountpoints())
VT_INSPECT_GETTER(inspect_get_filesystems, std::vector<std::string>, root_of, r.filesystems())
VT_INSPECT_GETTER(inspect_get_osinfo, std::string, root_of, r.facts.osinfo)
VT_INSPECT_GETTER(inspect_get_windows_systemroot, std::string, windows_root_of, r.facts.windows_systemroot)
VT_INSPECT_GETTER(inspect_get_windows_current_control_set, std::string, windows_root_of,
                  r.facts.windows_current_control_set)
VT_INSPECT_GETTER(inspect_get_windows_software_hive, std::string, windows_root_of, r.facts.windows_software_hive)
VT_INSPECT_GETTER(inspect_get_windows_system_hive, std::string, windows_root_of, r.facts.windows_system_hive)
VT_INSPECT_GETTER(inspect_get_drive_mappings, Hash, root_of, r.facts.drive_mappings)
VT_INSPECT_GETTER(inspect_get_format, std::string, root_of, r.facts.format)
VT_INSPECT_GETTER(inspect_is_live, bool, root_of, r.facts.is_live)
VT_INSPECT_GETTER(inspect_is_netinst, bool, root_of, r.facts.is_netinst)
VT_INSPECT_GETTER(inspect_is_multipart, bool, root_of, r.facts.is_multipart)

std::string Handle::inspect_get_icon(const std::string& root, const api::InspectGetIconOptargs& optargs) {
  if (trace_enabled()) {
    std::vector<std::string> args{trace_format(root)};
    if (optargs.favicon) args.push_back("favicon:" + trace_format(*optargs.favicon));
    if (optargs.highquality) args.push_back("highquality:" + trace_format(*optargs.highquality));
    trace_call("inspect_get_icon", args);
  }
  const auto& r = root_of(*this, "inspect_get_icon", root);
  std::string ret = inspect::guest_icon(*this, r, optargs.favicon.value_or(true), optargs.highquality.value_or(false));
  if (trace_enabled()) trace_return("inspect_get_icon", trace_format(ret));
  return ret;
}

std::vector<api::application2> Handle::inspect_list_applications2(const std::string& root) {
  if (trace_enabled()) trace_call("inspect_list_applications2", {trace_format(root)});
  const auto& r = root_of(*this, "inspect_list_applications2", root);
  std::vector<api::application2> ret;
  for (const auto& app : inspect::list_applications(*this, r)) ret.push_back(to_api(app));
  if (trace_enabled()) trace_return("inspect_list_applications2", trace_format(ret));
  return ret;
}

#undef VT_INSPECT_GETTER

}  // namespace vt
