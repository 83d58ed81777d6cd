// One scratch buffer per thread, shared by every kernel call on that thread.
#include "typenet/kernel/scratch.hpp"

#include <cstdlib>
#include <new>

namespace typenet::kernel {

namespace {
// A 64-byte-aligned buffer that grows to the largest request and never shrinks.
class Arena {
 public:
  ~Arena() { std::free(data_); }
  void* at_least(std::size_t bytes) {
    if (bytes > bytes_) {
      const std::size_t rounded = (bytes + 63) / 64 * 64;
      std::free(data_);
      data_ = nullptr;
      bytes_ = 0;
      data_ = std::aligned_alloc(64, rounded);
      if (data_ == nullptr) throw std::bad_alloc();
      bytes_ = rounded;
    }
    return data_;
  }

 private:
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
};
}  // namespace

void* scratch(std::size_t bytes) {
  thread_local Arena arena;
  return arena.at_least(bytes);
}

void* packing_scratch(std::size_t bytes) {
  thread_local Arena arena;
  return arena.at_least(bytes);
}

}  // namespace typenet::kernel
