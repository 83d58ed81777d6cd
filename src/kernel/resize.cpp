// Up-sampling and adaptive pooling: memory-bound loops over NCHW planes, each output a fixed
// weighting of a few inputs, so backward scatters the same weights.
#include <algorithm>
#include <cmath>

#include "typenet/kernel/resize.hpp"

namespace typenet::kernel {

namespace {

// Along one axis: an output's two source positions and the weight of the second. Computed on
// the fly: a table would allocate on every call.
struct Tap {
  std::size_t first, second;
  double weight;
};
Tap bilinear_tap(std::size_t o, std::size_t in, std::size_t out) {
  const double source = std::max(0.0, (double(o) + 0.5) * double(in) / double(out) - 0.5);
  const auto lo = std::min(std::size_t(source), in - 1);
  return {lo, std::min(lo + 1, in - 1), source - double(lo)};
}

template <class T, class Body>
void for_each_plane(const Resize& r, std::size_t batch, Body body) {
  const std::size_t in_plane = r.height * r.width, out_plane = r.out_height * r.out_width;
  for (std::size_t p = 0; p < batch * r.channels; ++p) body(p * in_plane, p * out_plane);
}

}  // namespace

template <class T>
void upsample_nearest_forward(const Resize& r, const T* x, T* y, std::size_t batch) {
  for_each_plane<T>(r, batch, [&](std::size_t in, std::size_t out) {
    for (std::size_t i = 0; i < r.out_height; ++i) {
      const T* row = x + in + (i * r.height / r.out_height) * r.width;
      T* dst = y + out + i * r.out_width;
      for (std::size_t j = 0; j < r.out_width; ++j) dst[j] = row[j * r.width / r.out_width];
    }
  });
}

template <class T>
void upsample_nearest_backward(const Resize& r, const T* dy, T* dx, std::size_t batch) {
  std::fill(dx, dx + batch * r.channels * r.height * r.width, T(0));
  for_each_plane<T>(r, batch, [&](std::size_t in, std::size_t out) {
    for (std::size_t i = 0; i < r.out_height; ++i) {
      T* row = dx + in + (i * r.height / r.out_height) * r.width;
      const T* src = dy + out + i * r.out_width;
      for (std::size_t j = 0; j < r.out_width; ++j) row[j * r.width / r.out_width] += src[j];
    }
  });
}

template <class T>
void upsample_bilinear_forward(const Resize& r, const T* x, T* y, std::size_t batch) {
  for_each_plane<T>(r, batch, [&](std::size_t in, std::size_t out) {
    for (std::size_t i = 0; i < r.out_height; ++i) {
      const Tap row = bilinear_tap(i, r.height, r.out_height);
      const T* top = x + in + row.first * r.width;
      const T* bottom = x + in + row.second * r.width;
      const T a = T(row.weight);
      T* dst = y + out + i * r.out_width;
      for (std::size_t j = 0; j < r.out_width; ++j) {
        const Tap col = bilinear_tap(j, r.width, r.out_width);
        const std::size_t j0 = col.first, j1 = col.second;
        const T b = T(col.weight);
        const T upper = top[j0] + b * (top[j1] - top[j0]);
        const T lower = bottom[j0] + b * (bottom[j1] - bottom[j0]);
        dst[j] = upper + a * (lower - upper);
      }
    }
  });
}

template <class T>
void upsample_bilinear_backward(const Resize& r, const T* dy, T* dx, std::size_t batch) {
  std::fill(dx, dx + batch * r.channels * r.height * r.width, T(0));
  for_each_plane<T>(r, batch, [&](std::size_t in, std::size_t out) {
    for (std::size_t i = 0; i < r.out_height; ++i) {
      const Tap row = bilinear_tap(i, r.height, r.out_height);
      T* top = dx + in + row.first * r.width;
      T* bottom = dx + in + row.second * r.width;
      const T a = T(row.weight);
      const T* src = dy + out + i * r.out_width;
      for (std::size_t j = 0; j < r.out_width; ++j) {
        const Tap col = bilinear_tap(j, r.width, r.out_width);
        const std::size_t j0 = col.first, j1 = col.second;
        const T b = T(col.weight);
        const T upper = (1 - a) * src[j], lower = a * src[j];
        top[j0] += (1 - b) * upper;
        top[j1] += b * upper;
        bottom[j0] += (1 - b) * lower;
        bottom[j1] += b * lower;
      }
    }
  });
}

namespace {
// Output o of `out` over `in` positions averages [o*in/out, ceil((o+1)*in/out)).
std::size_t region_begin(std::size_t o, std::size_t in, std::size_t out) { return o * in / out; }
std::size_t region_end(std::size_t o, std::size_t in, std::size_t out) {
  return ((o + 1) * in + out - 1) / out;
}
}  // namespace

template <class T>
void adaptive_avg_pool_forward(const Resize& r, const T* x, T* y, std::size_t batch) {
  for_each_plane<T>(r, batch, [&](std::size_t in, std::size_t out) {
    for (std::size_t i = 0; i < r.out_height; ++i) {
      const std::size_t h0 = region_begin(i, r.height, r.out_height);
      const std::size_t h1 = region_end(i, r.height, r.out_height);
      for (std::size_t j = 0; j < r.out_width; ++j) {
        const std::size_t w0 = region_begin(j, r.width, r.out_width);
        const std::size_t w1 = region_end(j, r.width, r.out_width);
        T sum = 0;
        for (std::size_t h = h0; h < h1; ++h)
          for (std::size_t w = w0; w < w1; ++w) sum += x[in + h * r.width + w];
        y[out + i * r.out_width + j] = sum / T((h1 - h0) * (w1 - w0));
      }
    }
  });
}

template <class T>
void adaptive_avg_pool_backward(const Resize& r, const T* dy, T* dx, std::size_t batch) {
  std::fill(dx, dx + batch * r.channels * r.height * r.width, T(0));
  for_each_plane<T>(r, batch, [&](std::size_t in, std::size_t out) {
    for (std::size_t i = 0; i < r.out_height; ++i) {
      const std::size_t h0 = region_begin(i, r.height, r.out_height);
      const std::size_t h1 = region_end(i, r.height, r.out_height);
      for (std::size_t j = 0; j < r.out_width; ++j) {
        const std::size_t w0 = region_begin(j, r.width, r.out_width);
        const std::size_t w1 = region_end(j, r.width, r.out_width);
        const T share = dy[out + i * r.out_width + j] / T((h1 - h0) * (w1 - w0));
        for (std::size_t h = h0; h < h1; ++h)
          for (std::size_t w = w0; w < w1; ++w) dx[in + h * r.width + w] += share;
      }
    }
  });
}

#define TYPENET_INSTANTIATE(T)                                                           \
  template void upsample_nearest_forward<T>(const Resize&, const T*, T*, std::size_t);   \
  template void upsample_nearest_backward<T>(const Resize&, const T*, T*, std::size_t);  \
  template void upsample_bilinear_forward<T>(const Resize&, const T*, T*, std::size_t);  \
  template void upsample_bilinear_backward<T>(const Resize&, const T*, T*, std::size_t); \
  template void adaptive_avg_pool_forward<T>(const Resize&, const T*, T*, std::size_t);  \
  template void adaptive_avg_pool_backward<T>(const Resize&, const T*, T*, std::size_t);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel
