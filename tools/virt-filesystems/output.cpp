// The output: an aligned table (columns two spaces apart, one if the table is
// wide, "-" for empty values) or CSV, as libguestfs's virt-filesystems prints.
#include <iostream>

#include "filesystems.hpp"
#include "output.hpp"

namespace vt::filesystems {

namespace {

const char* const kTitles[kColumnCount] = {"Name", "Type", "VFS", "Label", "MBR", "Size", "Parent", "UUID"};

// Hidden columns become empty slots so widths stay per column.
Row visible(const Row& r, const Settings& s) {
  Row out;
  for (int c = 0; c < kColumnCount; ++c)
    if (s.columns[c]) out[c] = r[c];
  return out;
}

void print_csv(const std::vector<Row>& rows) {
  for (const auto& r : rows) {
    bool first = true;
    for (const auto& v : r) {
      if (!v) continue;  // hidden column (shown columns are never unset in CSV rows)
      if (!first) std::cout << ',';
      first = false;
      std::cout << csv_field(*v);
    }
    std::cout << '\n';
  }
}

void print_table(const std::vector<Row>& rows) {
  size_t width[kColumnCount] = {};
  for (const auto& r : rows)
    for (int c = 0; c < kColumnCount; ++c)
      if (r[c]) width[c] = std::max(width[c], r[c]->empty() ? size_t{1} : r[c]->size());
  size_t total = 0;
  for (size_t w : width) total += w + 2;
  size_t gap = total > 72 ? 1 : 2;
  for (const auto& r : rows) {
    std::string line;
    size_t pad = 0;
    for (int c = 0; c < kColumnCount; ++c) {
      if (width[c] == 0) continue;  // a column with no value in any row is left out
      line.append(pad, ' ');
      std::string v = r[c] && !r[c]->empty() ? *r[c] : "-";
      line += v;
      pad = width[c] - v.size() + gap;
    }
    std::cout << line << '\n';
  }
}

}  // namespace

void print_rows(const std::vector<Row>& rows, const Settings& s) {
  std::vector<Row> out;
  if (s.title) {
    Row t;
    for (int c = 0; c < kColumnCount; ++c)
      if (s.columns[c]) t[c] = kTitles[c];
    out.push_back(t);
  }
  for (const auto& r : rows) {
    Row v = visible(r, s);
    // In CSV every shown column has a field, empty if there is no value.
    if (s.csv)
      for (int c = 0; c < kColumnCount; ++c)
        if (s.columns[c] && !v[c]) v[c] = "";
    out.push_back(v);
  }
  if (s.csv)
    print_csv(out);
  else
    print_table(out);
}

}  // namespace vt::filesystems
