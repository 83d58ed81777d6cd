// The worker threads the kernels split their work over.
//
// Work is split statically into contiguous chunks, one per thread, and every reduction across
// chunks is summed in chunk order: results depend on the thread count, never on scheduling, so
// a run is bitwise reproducible for a given count.
#pragma once

#include <cstddef>

namespace typenet {

// Threads the kernels use (the caller's thread included), 1 .. max_threads(). Defaults to the
// machine's hardware threads.
void set_threads(std::size_t count);
std::size_t threads();
// The most set_threads() accepts; buffers sized per thread are sized for this many.
std::size_t max_threads();

namespace kernel {

// A non-owning reference to body(begin, end, chunk): no allocation per call, unlike
// std::function, so a training step stays allocation-free.
class ChunkBody {
 public:
  template <class F>
  ChunkBody(F& f)  // NOLINT: implicit, from the lambda at the call site
      : object_(&f), call_([](void* o, std::size_t b, std::size_t e, std::size_t c) {
          (*static_cast<F*>(o))(b, e, c);
        }) {}
  void operator()(std::size_t begin, std::size_t end, std::size_t chunk) const {
    call_(object_, begin, end, chunk);
  }

 private:
  void* object_;
  void (*call_)(void*, std::size_t, std::size_t, std::size_t);
};

// Calls body(begin, end, chunk) for chunks covering [0, count), chunk < threads(), in parallel;
// returns when all are done. Nested calls (from inside a body) run serially.
void parallel_for(std::size_t count, ChunkBody body);
template <class F>
void parallel_for(std::size_t count, F&& body) {
  parallel_for(count, ChunkBody(body));
}

// Below this many multiply-adds, waking the other threads costs more than it saves (a thread
// wakes in microseconds; one core does ~50 multiply-adds per nanosecond at peak).
inline constexpr std::size_t parallel_grain = std::size_t{1} << 18;

// The same, run on the calling thread alone when the whole job is smaller than the grain.
template <class F>
void parallel_for(std::size_t count, std::size_t multiply_adds, F&& body) {
  if (multiply_adds < parallel_grain) {
    if (count > 0) body(std::size_t{0}, count, std::size_t{0});
    return;
  }
  parallel_for(count, ChunkBody(body));
}
}  // namespace kernel

}  // namespace typenet
