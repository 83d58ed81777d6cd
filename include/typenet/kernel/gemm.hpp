// Contractions through Eigen's GEMM, defined and instantiated once for float and double in
// libtypenet (src/kernel/gemm.cpp): gemm() itself, which the convolution kernels call, and the
// batched products of Dense and Maxout. Row-major storage throughout: x batch x in, W out x in
// (PyTorch's Linear weight), y batch x out.
#pragma once

#include <cstddef>

namespace typenet::kernel {

// How gemm reads an operand stored row-major: as it is, or transposed.
enum class Op { none, transpose };

// c = a b (accumulate: c += a b) for c m x n, row-major with row stride ldc. a is m x k: stored
// row-major m x k with row stride lda (Op::none), or row-major k x m read transposed
// (Op::transpose, row stride lda); b likewise k x n. Eigen's kernels do the work: small products
// coefficient by coefficient, vectors as GEMV, the rest as a blocked GEMM whose packing buffers
// come from a per-thread buffer (kernel::packing_scratch: grown to the largest product seen,
// never shrunk) instead of the heap, so that a training step allocates nothing after the first.
template <class T>
void gemm(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
          std::size_t lda, const T* b, std::size_t ldb, T* c, std::size_t ldc, bool accumulate);

// y = x W^T for a batch.
template <class T>
void dense_forward(const T* x, const T* weight, T* y, std::size_t batch, std::size_t in,
                   std::size_t out);
// dx = dy W (skipped when dx is null); dweight = dy^T x (overwritten).
template <class T>
void dense_backward(const T* x, const T* weight, const T* dy, T* dx, T* dweight, std::size_t batch,
                    std::size_t in, std::size_t out);

}  // namespace typenet::kernel
