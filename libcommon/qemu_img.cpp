#include "qemu_img.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "errors.hpp"
#include "json.hpp"
#include "process.hpp"

namespace vt {

namespace {

bool is_block_device(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISBLK(st.st_mode);
}

// The last thing qemu-img said on stderr: its error.
std::string last_line(const std::string& text) {
  size_t end = text.find_last_not_of(" \n\r");
  if (end == std::string::npos) return "";
  size_t start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

// "    (45.00/100%)\r": qemu-img -p's progress, as 1/10000ths.
void parse_progress(std::string& pending, std::string_view chunk, const ProgressCallback& progress) {
  pending.append(chunk);
  for (;;) {
    size_t close = pending.find("/100%)");
    if (close == std::string::npos) break;
    size_t open = pending.rfind('(', close);
    if (open != std::string::npos) {
      double percent = std::strtod(pending.c_str() + open + 1, nullptr);
      if (percent >= 0 && percent <= 100) progress(static_cast<uint64_t>(percent * 100 + 0.5), 10000);
    }
    pending.erase(0, close + 6);
  }
  if (pending.size() > 4096) pending.clear();
}

const json::Value* member(const json::Value& v, const char* key) { return v.get(key); }

uint64_t number_of(const json::Value* v) {
  const double* d = v ? std::get_if<double>(&v->v) : nullptr;
  return d && *d >= 0 ? static_cast<uint64_t>(*d) : 0;
}

std::string string_of(const json::Value* v) {
  const std::string* s = v ? v->as_string() : nullptr;
  return s ? *s : "";
}

}  // namespace

std::string image_range_spec(const ImageRange& r) {
  std::string protocol = std::string("{\"driver\":") + (is_block_device(r.path) ? "\"host_device\"" : "\"file\"") +
                         ",\"filename\":" + json::quote(r.path) + "}";
  std::string backing;
  if (r.format == "qcow2") backing = backing_options(r.backing ? *r.backing : qcow2_backing_chain(r.path));
  std::string image =
      r.format == "raw" ? protocol : "{\"driver\":" + json::quote(r.format) + ",\"file\":" + protocol + backing + "}";
  if (r.offset == 0 && r.length == 0) return "json:" + image;
  std::string slice = "{\"driver\":\"raw\",\"offset\":" + std::to_string(r.offset);
  if (r.length) slice += ",\"size\":" + std::to_string(r.length);
  return "json:" + slice + ",\"file\":" + image + "}";
}

QemuImg::QemuImg(std::string program, bool verbose) : program_(std::move(program)), verbose_(verbose) {
  qemu_img_ = find_program("qemu-img");
  if (qemu_img_.empty()) throw Error("qemu-img is not installed (Debian package qemu-utils)");
}

std::string QemuImg::run(std::vector<std::string> args, const ProgressCallback& progress) const {
  if (progress) args.insert(args.begin() + 1, "-p");
  args.insert(args.begin(), qemu_img_);
  if (verbose_) {
    std::string line = program_ + ": running";
    for (const auto& a : args) line += " " + a;
    std::cerr << line << "\n";
  }
  std::string pending;
  auto on_stdout = [&](std::string_view chunk) {
    if (progress) parse_progress(pending, chunk, progress);
  };
  CommandResult r = run_command(args, "", 1 << 20, on_stdout);
  if (!r.ok()) {
    std::string why = last_line(r.err);
    if (why.empty()) why = "qemu-img " + describe_wait_status(r.status);
    throw Error(why);
  }
  return r.out;
}

ImageInfo QemuImg::info(const std::string& path, const std::string& format) const {
  std::vector<std::string> args = {"info", "--output=json", "-U"};
  if (!format.empty()) args.insert(args.end(), {"-f", format});
  args.push_back(path.empty() || path[0] == '/' ? path : "./" + path);
  std::string out;
  try {
    out = run(args);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  json::Value v;
  try {
    v = json::parse(out);
  } catch (const std::exception& e) {
    throw Error(path + ": qemu-img info printed something that is not JSON: " + e.what());
  }
  ImageInfo info;
  info.format = string_of(member(v, "format"));
  info.virtual_size = number_of(member(v, "virtual-size"));
  info.cluster_size = number_of(member(v, "cluster-size"));
  info.backing_file = string_of(member(v, "backing-filename"));
  if (const json::Value* specific = member(v, "format-specific"))
    if (const json::Value* data = specific->get("data")) info.compat = string_of(data->get("compat"));
  return info;
}

void QemuImg::create(const std::string& path, const std::string& format, uint64_t size,
                     const std::vector<std::string>& options) const {
  std::vector<std::string> args = {"create", "-q", "-f", format};
  std::string opts;
  for (const auto& o : options) opts += (opts.empty() ? "" : ",") + o;
  if (!opts.empty()) args.insert(args.end(), {"-o", opts});
  args.insert(args.end(), {path[0] == '/' ? path : "./" + path, std::to_string(size)});
  try {
    run(args);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

void QemuImg::create_overlay(const std::string& path, const std::string& backing, const std::string& backing_format,
                             uint64_t cluster_size) const {
  // compat 1.1 has zero clusters: what discards in the overlay become.
  std::string opts = "compat=1.1";
  if (cluster_size) opts += ",cluster_size=" + std::to_string(cluster_size);
  std::vector<std::string> args = {"create", "-q", "-f", "qcow2", "-b", backing, "-F", backing_format, "-o", opts,
                                   path[0] == '/' ? path : "./" + path};
  try {
    run(args);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
}

void QemuImg::copy(const ImageRange& from, const ImageRange& to, const CopyOptions& options) const {
  // -t unsafe: the caller flushes the finished image once.
  std::vector<std::string> args = {"convert", "-n", "-t", "unsafe"};
  if (!options.sparse) args.insert(args.end(), {"-S", "0"});
  else if (options.target_is_zero) args.push_back("--target-is-zero");
  args.insert(args.end(), {image_range_spec(from), image_range_spec(to)});
  run(args, options.progress);
}

void QemuImg::convert(const ImageRange& from, const std::string& to, const std::string& to_format,
                      const ConvertOptions& options) const {
  std::vector<std::string> args = {"convert", image_range_spec(from), "-O", to_format};
  if (options.compress) args.push_back("-c");
  if (!options.options.empty()) args.insert(args.end(), {"-o", options.options});
  args.push_back(to[0] == '/' ? to : "./" + to);
  run(args, options.progress);
}

std::string QemuImg::read_bytes(const std::string& path, const std::string& format, uint64_t offset,
                                size_t length) const {
  if (format == "raw") return pread_bytes(path, offset, length);
  TempDir dir("virt-tools-bytes-");
  std::string staged = dir.path() + "/bytes";
  convert({path, format, offset, length}, staged, "raw", {});
  return pread_bytes(staged, 0, length);
}

void QemuImg::write_bytes(const std::string& path, const std::string& format, uint64_t offset,
                          const std::string& bytes) const {
  if (offset % 512 || bytes.size() % 512)
    throw Error("write_bytes: " + path + ": only whole 512-byte sectors can be written (internal error)");
  if (format == "raw") {
    // No need for qemu-img to put bytes into a raw file.
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) throw Error(errno_message(path, errno));
    for (size_t done = 0; done < bytes.size();) {
      ssize_t n = ::pwrite(fd.get(), bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw Error(errno_message(path, n < 0 ? errno : ENOSPC));
      done += static_cast<size_t>(n);
    }
    return;
  }
  TempDir dir("virt-tools-bytes-");
  std::string staged = dir.path() + "/bytes";
  {
    UniqueFd fd(::open(staged.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd || ::write(fd.get(), bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size()))
      throw Error(errno_message(staged, errno));
  }
  CopyOptions o;
  o.sparse = false;  // zeroes in the bytes overwrite what is there
  copy({staged, "raw", 0, 0}, {path, format, offset, bytes.size()}, o);
}

}  // namespace vt
