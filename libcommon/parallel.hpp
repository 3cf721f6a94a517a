// Runs N jobs on up to T threads and hands their results on in job order,
// each as soon as it and all before it are done (so output stays ordered):
// one appliance per guest, in virt-df and virt-alignment-scan.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace vt {

// What a job made (text) or why it failed (error, empty if it did not).
using Job = std::function<std::string(size_t index)>;
using Emit = std::function<void(size_t index, const std::string& text, const std::string& error)>;

// Returns true if no job failed.  Emit runs on the calling thread.
bool run_in_order(size_t jobs, unsigned threads, const Job& job, const Emit& emit);

// The number of threads when -P is 0 or not given: the host's CPUs.
unsigned default_parallelism();

}  // namespace vt
