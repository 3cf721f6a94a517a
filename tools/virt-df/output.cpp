// The output, as libguestfs's virt-df prints it: a 36-column name (longer
// names end their line and the numbers go on the next, indented), three
// 10-wide numbers and a percentage rounded up; or CSV with the same values
// and the percentage to one decimal.
#include <cmath>
#include <cstdio>

#include "df.hpp"
#include "output.hpp"

namespace vt::df {

namespace {

constexpr size_t kNameWidth = 36;

struct Values {
  std::string total, used, available;
  float percent;  // float, as libguestfs keeps it: rounding follows from that
};

// Blocks to KiB in whole steps, as libguestfs scales them: blocks of 4096
// count 4 each, blocks of 512 count a half (rounded down per total).
int64_t kibibytes(int64_t blocks, int64_t bsize) {
  if (bsize >= 1024) return blocks * (bsize / 1024);
  return bsize > 0 ? blocks / (1024 / bsize) : 0;
}

Values values(const api::statvfs& st, const Settings& s) {
  Values v;
  if (s.inodes) {
    v.total = std::to_string(st.files);
    v.used = std::to_string(st.files - st.ffree);
    v.available = std::to_string(st.ffree);
    v.percent = st.files ? static_cast<float>(100. - 100. * st.ffree / st.files) : 0;
  } else {
    if (s.human) {
      auto bytes = [&](int64_t blocks) { return human_size(static_cast<uint64_t>(blocks) * st.bsize); };
      v.total = bytes(st.blocks);
      v.used = bytes(st.blocks - st.bfree);
      v.available = bytes(st.bavail);
    } else {
      v.total = std::to_string(kibibytes(st.blocks, st.bsize));
      v.used = std::to_string(kibibytes(st.blocks - st.bfree, st.bsize));
      v.available = std::to_string(kibibytes(st.bavail, st.bsize));
    }
    v.percent = st.blocks ? static_cast<float>(100. - 100. * st.bfree / st.blocks) : 0;
  }
  return v;
}

std::string printf_string(const char* format, auto... args) {
  char buf[256];
  std::snprintf(buf, sizeof buf, format, args...);
  return buf;
}

}  // namespace

std::string title(const Settings& s) {
  const char* total = s.inodes ? "Inodes" : s.human ? "Size" : "1K-blocks";
  const char* used = s.inodes ? "IUsed" : "Used";
  const char* available = s.inodes ? "IFree" : "Available";
  const char* percent = s.inodes ? "IUse%" : "Use%";
  if (s.csv)
    return std::string("VirtualMachine,Filesystem,") + total + "," + used + "," + available + "," + percent + "\n";
  return printf_string("%-36s%10s %10s %10s %5s\n", "Filesystem", total, used, available, percent);
}

std::string format_rows(const Guest& guest, const std::vector<FilesystemStat>& rows, const Settings& s) {
  // Only libvirt guests have a UUID: disk images keep their name.
  const std::string& name = s.uuid && !guest.uuid.empty() ? guest.uuid : guest.name;
  std::string out;
  for (const auto& row : rows) {
    Values v = values(row.stat, s);
    if (s.csv) {
      out += csv_field(name) + "," + csv_field(row.device) + "," + v.total + "," + v.used + "," + v.available + "," +
             printf_string("%.1f", static_cast<double>(v.percent)) + "\n";
      continue;
    }
    std::string label = name + ":" + row.device;
    if (label.size() <= kNameWidth)
      label.resize(kNameWidth, ' ');
    else
      label += "\n" + std::string(kNameWidth, ' ');
    // Rounded up, as df(1) does.
    std::string percent = printf_string("%3.0f%%", std::ceil(static_cast<double>(v.percent)));
    out += label + printf_string("%10s %10s %10s %5s\n", v.total.c_str(), v.used.c_str(), v.available.c_str(),
                                 percent.c_str());
  }
  return out;
}

}  // namespace vt::df
