#include "counter.hpp"

#include <atomic>
#include <cstddef>

namespace {
std::atomic<long> allocations{0};
}

long allocation::count() { return allocations.load(); }

extern "C" {
void* __real_malloc(std::size_t);
void* __real_calloc(std::size_t, std::size_t);
void* __real_realloc(void*, std::size_t);
void* __real_aligned_alloc(std::size_t, std::size_t);
int __real_posix_memalign(void**, std::size_t, std::size_t);
void* __real__Znwm(std::size_t);  // operator new(std::size_t)
void* __real__Znam(std::size_t);  // operator new[](std::size_t)

void* __wrap_malloc(std::size_t n) {
  ++allocations;
  return __real_malloc(n);
}
void* __wrap_calloc(std::size_t n, std::size_t size) {
  ++allocations;
  return __real_calloc(n, size);
}
void* __wrap_realloc(void* p, std::size_t n) {
  ++allocations;
  return __real_realloc(p, n);
}
void* __wrap_aligned_alloc(std::size_t alignment, std::size_t n) {
  ++allocations;
  return __real_aligned_alloc(alignment, n);
}
int __wrap_posix_memalign(void** p, std::size_t alignment, std::size_t n) {
  ++allocations;
  return __real_posix_memalign(p, alignment, n);
}
void* __wrap__Znwm(std::size_t n) {
  ++allocations;
  return __real__Znwm(n);
}
void* __wrap__Znam(std::size_t n) {
  ++allocations;
  return __real__Znam(n);
}
}
