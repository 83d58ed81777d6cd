// Local response normalisation across channels: a memory-bound loop over NCHW planes.
#include "typenet/kernel/local_response_norm.hpp"

#include "typenet/kernel/parallel.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace typenet::kernel {

namespace {

// Calls f(n, c) for every (sample, channel) plane, split over the threads when there are at
// least 2^15 input elements (a quarter of the element-wise passes' grain, expr/evaluate.hpp: an
// element here costs a pow and `size` multiply-adds, more than a sum). Each output plane is
// computed by one thread alone, so the result does not depend on the split.
template <class F>
void over_planes(std::size_t batch, std::size_t channels, std::size_t plane, F&& f) {
  auto range = [&](std::size_t begin, std::size_t end, std::size_t) {
    for (std::size_t q = begin; q < end; ++q) f(q / channels, q % channels);
  };
  if (batch * channels * plane < (std::size_t{1} << 15))
    range(0, batch * channels, 0);
  else
    parallel_for(batch * channels, range);
}

}  // namespace

// b_c = a_c * s_c^-beta, s_c = k + alpha * sum of a^2 over the channels c - size/2 ..
// c + (size-1)/2 (PyTorch's window: symmetric for odd sizes, one more channel below for even).
template <class T>
void lrn_forward(const LrnParameters& p, std::size_t channels, std::size_t plane, const T* x, T* y,
                 T* scale, std::size_t batch) {
  const std::ptrdiff_t below = std::ptrdiff_t(p.size / 2), above = std::ptrdiff_t((p.size - 1) / 2);
  over_planes(batch, channels, plane, [&](std::size_t n, std::size_t c) {
    const std::size_t base = n * channels * plane;
    const std::ptrdiff_t lo = std::max<std::ptrdiff_t>(0, std::ptrdiff_t(c) - below);
    const std::ptrdiff_t hi =
        std::min<std::ptrdiff_t>(std::ptrdiff_t(channels) - 1, std::ptrdiff_t(c) + above);
    T* s = scale + base + c * plane;
    std::fill(s, s + plane, T(0));
    for (std::ptrdiff_t j = lo; j <= hi; ++j) {
      const T* a = x + base + std::size_t(j) * plane;
      for (std::size_t i = 0; i < plane; ++i) s[i] += a[i] * a[i];
    }
    const T* a = x + base + c * plane;
    T* b = y + base + c * plane;
    for (std::size_t i = 0; i < plane; ++i) {
      s[i] = T(p.k) + T(p.alpha) * s[i];
      b[i] = a[i] * std::pow(s[i], T(-p.beta));
    }
  });
}

// dx_j = dy_j s_j^-beta - 2 alpha beta a_j * sum over the i whose window holds j of
// dy_i a_i s_i^(-beta-1); those are i = j - (size-1)/2 .. j + size/2 (the window transposed).
template <class T>
void lrn_backward(const LrnParameters& p, std::size_t channels, std::size_t plane, const T* x,
                  const T* scale, const T* dy, T* dx, std::size_t batch) {
  const std::ptrdiff_t below = std::ptrdiff_t((p.size - 1) / 2), above = std::ptrdiff_t(p.size / 2);
  const T factor = T(2 * p.alpha * p.beta);
  over_planes(batch, channels, plane, [&](std::size_t n, std::size_t c) {
    const std::size_t base = n * channels * plane;
    const std::ptrdiff_t lo = std::max<std::ptrdiff_t>(0, std::ptrdiff_t(c) - below);
    const std::ptrdiff_t hi =
        std::min<std::ptrdiff_t>(std::ptrdiff_t(channels) - 1, std::ptrdiff_t(c) + above);
    const T* a = x + base + c * plane;
    const T* s = scale + base + c * plane;
    const T* g = dy + base + c * plane;
    T* out = dx + base + c * plane;
    for (std::size_t i = 0; i < plane; ++i) out[i] = g[i] * std::pow(s[i], T(-p.beta));
    for (std::ptrdiff_t j = lo; j <= hi; ++j) {
      const T* aj = x + base + std::size_t(j) * plane;
      const T* sj = scale + base + std::size_t(j) * plane;
      const T* gj = dy + base + std::size_t(j) * plane;
      for (std::size_t i = 0; i < plane; ++i)
        out[i] -= factor * a[i] * gj[i] * aj[i] * std::pow(sj[i], T(-p.beta - 1));
    }
  });
}

#define TYPENET_INSTANTIATE(T)                                                                   \
  template void lrn_forward<T>(const LrnParameters&, std::size_t, std::size_t, const T*, T*, T*, \
                               std::size_t);                                                     \
  template void lrn_backward<T>(const LrnParameters&, std::size_t, std::size_t, const T*,        \
                                const T*, const T*, T*, std::size_t);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel
