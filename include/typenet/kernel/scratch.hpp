// Per-thread scratch memory for the kernels (src/kernel/scratch.cpp).
#pragma once

#include <cstddef>

namespace typenet::kernel {

// Scratch memory for one kernel call, shared by every layer that runs on the calling thread:
// 64-byte aligned, grown to the largest request seen (so after a network's first step it no
// longer allocates) and never shrunk; its contents do not outlive the call that asked for it.
// One buffer instead of one per layer: a 572 x 572 U-Net's im2col buffers alone were
// about 7 GB on 2 threads.
void* scratch(std::size_t bytes);
// A second such buffer per thread, for kernel::gemm's packing of its operands: a kernel still
// holds its scratch() (im2col columns, partial gradients) while the GEMMs it calls pack.
void* packing_scratch(std::size_t bytes);

template <class T>
T* scratch_for(std::size_t count) {
  return static_cast<T*>(scratch(count * sizeof(T)));
}

}  // namespace typenet::kernel
