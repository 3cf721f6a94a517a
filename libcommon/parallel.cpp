#include "parallel.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace vt {

namespace {

struct Result {
  std::string text, error;
};

}  // namespace

bool run_in_order(size_t jobs, unsigned threads, const Job& job, const Emit& emit) {
  std::vector<std::optional<Result>> results(jobs);
  std::mutex mutex;
  std::condition_variable done;
  std::atomic<size_t> next{0};

  auto worker = [&] {
    for (size_t i; (i = next++) < jobs;) {
      Result r;
      try {
        r.text = job(i);
      } catch (const std::exception& e) {
        r.error = e.what();
      }
      std::lock_guard lock(mutex);
      results[i] = std::move(r);
      done.notify_one();
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned t = 0; t < std::max(1u, threads) && t < jobs; ++t) pool.emplace_back(worker);

  bool ok = true;
  for (size_t i = 0; i < jobs; ++i) {
    Result r;
    {
      std::unique_lock lock(mutex);
      done.wait(lock, [&] { return results[i].has_value(); });
      r = std::move(*results[i]);
    }
    if (!r.error.empty()) ok = false;
    emit(i, r.text, r.error);
  }
  return ok;
}

unsigned default_parallelism() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace vt
