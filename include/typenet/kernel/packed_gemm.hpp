// One GEMM operand packed once for many products (src/kernel/gemm.cpp): the recurrent layers'
// steps multiply a new state by the same hidden weight at every step, and Eigen's GEMM would pack
// that weight again each time. Not part of typenet.hpp: only the recurrent kernel uses it.
#pragma once

#include <cstddef>

#include "typenet/kernel/gemm.hpp"

namespace typenet::kernel {

// Scalars of gemm_pack_b's buffer for products c = a op(b) of sizes m x n x k.
template <class T>
std::size_t gemm_packed_size(std::size_t m, std::size_t n, std::size_t k);

// Packs b (read as op(b), k x n, row stride ldb) for gemm_packed_b with the same m, n, k, into
// `packed`: gemm_packed_size<T>(m, n, k) scalars, 64-byte aligned (Eigen's kernel loads them as
// aligned packets). Packing, blocking and kernel are those of gemm()'s blocked product, so the
// results are bitwise gemm()'s wherever gemm() blocks (m + n + k >= 20, m > 1 and n > 1).
template <class T>
void gemm_pack_b(Op op_b, std::size_t m, std::size_t n, std::size_t k, const T* b, std::size_t ldb,
                 T* packed);

// c = a op(b) (accumulate: c += a op(b)) for c m x n (row stride ldc) and a m x k (row stride
// lda), row-major, op(b) from gemm_pack_b's buffer. Packs a into kernel::packing_scratch.
template <class T>
void gemm_packed_b(std::size_t m, std::size_t n, std::size_t k, const T* a, std::size_t lda,
                   const T* packed, T* c, std::size_t ldc, bool accumulate);

}  // namespace typenet::kernel
