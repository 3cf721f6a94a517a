// make-empty-hive FILE: writes an empty Windows registry hive to FILE, for
// tests that need a hive to open, change and commit with hivex.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "empty_hive.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make-empty-hive FILE\n";
    return 1;
  }
  std::string hive = vt::phony::empty_hive();
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out.write(hive.data(), static_cast<std::streamsize>(hive.size()));
  out.close();
  if (!out) {
    std::cerr << "make-empty-hive: " << argv[1] << ": " << std::strerror(errno) << "\n";
    return 1;
  }
  return 0;
}
