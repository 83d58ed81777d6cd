// Dense layers' contractions through Eigen's GEMM, defined and instantiated once for float and
// double in libtypenet (src/kernel/gemm.cpp). Row-major: x batch x in, W out x in (PyTorch's
// Linear weight), y batch x out.
#pragma once

#include <cstddef>

namespace typenet::kernel {

// y = x W^T for a batch.
template <class T>
void dense_forward(const T* x, const T* weight, T* y, std::size_t batch, std::size_t in,
                   std::size_t out);
// dx = dy W (skipped when dx is null); dweight = dy^T x (overwritten).
template <class T>
void dense_backward(const T* x, const T* weight, const T* dy, T* dx, T* dweight, std::size_t batch,
                    std::size_t in, std::size_t out);

}  // namespace typenet::kernel
