// Counts every heap allocation of the program it is linked into: operator new (plain and array)
// and the C allocator (malloc, calloc, realloc, aligned_alloc, posix_memalign), which Eigen's
// GEMM uses for its packing buffers. The program is linked with -Wl,--wrap=... for each of them
// (tests/CMakeLists.txt, typenet_count_allocations), so every call from it and from libtypenet
// goes through the counter and then on to the real allocator (the sanitizers' too).
#pragma once

namespace allocation {

// Allocations so far, in every thread.
long count();

// Allocations made by f(); read before any assertion, which may allocate itself.
template <class F>
long during(F&& f) {
  const long before = count();
  f();
  return count() - before;
}

}  // namespace allocation
