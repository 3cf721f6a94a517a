#include "pending_output.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "errors.hpp"
#include "process.hpp"

namespace vt {

namespace {

std::string parent_dir(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

PendingOutput::PendingOutput(const std::string& final_path) : final_(final_path) {
  std::string dir = parent_dir(final_path);
  std::string base = final_path.substr(final_path.rfind('/') + 1);
  for (int attempt = 0; attempt < 100; ++attempt) {
    uint32_t r = 0;
    if (::getrandom(&r, sizeof r, 0) != sizeof r) throw Error(errno_message("getrandom", errno));
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp%08x", r);
    // Hidden, so a half-written disk is not mistaken for a finished one.
    std::string candidate = (dir == "." ? "" : dir + "/") + "." + base + suffix;
    struct stat st {};
    if (::lstat(candidate.c_str(), &st) < 0 && errno == ENOENT) {
      temp_ = candidate;
      on_signal_.remove_file_on_signal(temp_);
      return;
    }
  }
  throw Error(final_path + ": no free temporary name in " + dir);
}

PendingOutput::~PendingOutput() {
  if (!committed_) ::unlink(temp_.c_str());
}

void PendingOutput::commit() {
  {
    UniqueFd fd(::open(temp_.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd || ::fsync(fd.get()) < 0) throw Error(errno_message(temp_, errno));
  }
  if (::rename(temp_.c_str(), final_.c_str()) < 0) throw Error(errno_message("rename " + temp_ + " to " + final_, errno));
  committed_ = true;
  on_signal_.clear();
  UniqueFd dir(::open(parent_dir(final_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir) ::fsync(dir.get());
}

}  // namespace vt
