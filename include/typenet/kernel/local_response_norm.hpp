// Local response normalisation across channels (src/kernel/local_response_norm.cpp).
#pragma once

#include <cstddef>

namespace typenet::kernel {

struct LrnParameters {
  std::size_t size;
  double alpha, beta, k;
};
// scale (batch x C x H x W) keeps k + alpha * sum(a^2) for the backward pass.
template <class T>
void lrn_forward(const LrnParameters& p, std::size_t channels, std::size_t plane, const T* x, T* y,
                 T* scale, std::size_t batch);
template <class T>
void lrn_backward(const LrnParameters& p, std::size_t channels, std::size_t plane, const T* x,
                  const T* scale, const T* dy, T* dx, std::size_t batch);

}  // namespace typenet::kernel
