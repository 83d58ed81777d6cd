// One scratch buffer per thread, shared by every kernel call on that thread.
#include "typenet/kernel/scratch.hpp"

#include <cstdlib>
#include <new>

namespace typenet::kernel {

namespace {
struct ScratchArena {
  void* data = nullptr;
  std::size_t bytes = 0;
  ~ScratchArena() { std::free(data); }
};
}  // namespace

void* scratch(std::size_t bytes) {
  thread_local ScratchArena arena;
  if (bytes > arena.bytes) {
    const std::size_t rounded = (bytes + 63) / 64 * 64;
    std::free(arena.data);
    arena.data = nullptr;
    arena.bytes = 0;
    arena.data = std::aligned_alloc(64, rounded);
    if (arena.data == nullptr) throw std::bad_alloc();
    arena.bytes = rounded;
  }
  return arena.data;
}

}  // namespace typenet::kernel
