// The worker threads the kernels split their work over.
//
// Work is split statically into contiguous chunks, one per thread, and every reduction across
// chunks is summed in chunk order: results depend on the thread count, never on scheduling, so
// a run is bitwise reproducible for a given count.
#pragma once

#include <cstddef>
#include <functional>

namespace typenet {

// Threads the kernels use (the caller's thread included), 1 .. max_threads(). Defaults to the
// machine's hardware threads.
void set_threads(std::size_t count);
std::size_t threads();
// The most set_threads() accepts; buffers sized per thread are sized for this many.
std::size_t max_threads();

namespace kernel {
// Calls body(begin, end, chunk) for chunks covering [0, count), chunk < threads(), in parallel;
// returns when all are done. Nested calls (from inside a body) run serially.
void parallel_for(std::size_t count,
                  const std::function<void(std::size_t, std::size_t, std::size_t)>& body);
}  // namespace kernel

}  // namespace typenet
