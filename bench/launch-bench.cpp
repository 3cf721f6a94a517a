// Measures appliance launches: launch -> daemon ready -> shutdown, with the
// appliance already cached.  Prints each run, the median, and the QEMU
// process's peak memory (VmHWM).
//   launch-bench [RUNS]
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "errors.hpp"
#include "handle.hpp"

using namespace vt;

namespace {

long peak_rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  try {
    {
      // Warm-up: builds the appliance if needed and settles the accelerator.
      Handle h;
      h.launch();
    }
    std::vector<double> total, ready;
    long peak = 0;
    for (int i = 0; i < runs; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      Handle h;
      h.launch();
      double r = h.launch_ms();
      peak = std::max(peak, peak_rss_kb(h.qemu_pid()));
      h.shutdown();
      double t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::cout << "run " << i + 1 << ": ready " << static_cast<long>(r) << " ms, launch+shutdown "
                << static_cast<long>(t) << " ms\n";
      total.push_back(t);
      ready.push_back(r);
    }
    std::cout << "launch median: ready " << static_cast<long>(median(ready)) << " ms, launch+shutdown "
              << static_cast<long>(median(total)) << " ms over " << runs << " runs; QEMU peak RSS "
              << peak / 1024 << " MiB\n";
  } catch (const std::exception& e) {
    std::cerr << "launch-bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
