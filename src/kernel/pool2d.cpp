// Max and average pooling: memory-bound loops over NCHW planes.
#include "typenet/kernel/pool2d.hpp"

#include "typenet/kernel/parallel.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <limits>
#include <type_traits>

namespace typenet::kernel {

namespace {

// The input rows (or columns) a window starting at output position `o` covers, clipped to the
// input; `padded_end` is the window's end clipped to the padded input, for averaging.
struct Span {
  std::ptrdiff_t begin, end, padded_begin, padded_end;
};
Span window_span(std::size_t o, std::size_t stride, std::size_t pad, std::size_t kernel,
                 std::size_t size) {
  const std::ptrdiff_t start = std::ptrdiff_t(o * stride) - std::ptrdiff_t(pad);
  const std::ptrdiff_t padded_end =
      std::min(start + std::ptrdiff_t(kernel), std::ptrdiff_t(size + pad));
  return {std::max<std::ptrdiff_t>(start, 0),
          std::min(start + std::ptrdiff_t(kernel), std::ptrdiff_t(size)), start, padded_end};
}

// take ? a : b without a branch (g++ turns the ternary into a jump, which mispredicts on the
// random outcomes of an argmax).
template <class T>
T blend(bool take, T a, T b) {
  using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  const Bits mask = Bits(0) - Bits(take);
  return std::bit_cast<T>((std::bit_cast<Bits>(a) & mask) | (std::bit_cast<Bits>(b) & ~mask));
}

// 2x2 windows at stride 2 inside the input, the pooling of LeNet, VGG and U-Net: with the taps
// fixed, the compare-and-selects of a row of outputs vectorise (the general loop below runs at
// 8 ns an output; a third of LeNet's batch-1 inference).
template <class T>
void max_pool_2x2(const Window2D& w, const T* x, T* y, std::int32_t* argmax, std::size_t batch) {
  const auto width = std::int32_t(w.width);
  const std::size_t planes = batch * w.channels;
  for (std::size_t p = 0; p < planes; ++p) {
    const T* in = x + p * w.height * w.width;
    for (std::size_t oh = 0; oh < w.out_height; ++oh) {
      const T* r0 = in + 2 * oh * w.width;
      const T* r1 = r0 + w.width;
      const std::int32_t row = std::int32_t(2 * oh) * width;
      for (std::size_t ow = 0; ow < w.out_width; ++ow) {
        // PyTorch's rule, tap after tap in (kh, kw) order: a larger value or a NaN takes over,
        // so ties keep the first and the last NaN wins.
        T best = r0[2 * ow];
        std::int32_t at = 0;
        const T b = r0[2 * ow + 1], c = r1[2 * ow], d = r1[2 * ow + 1];
        bool take = (b > best) | (b != b);
        best = take ? b : best;
        at = take ? 1 : at;
        take = (c > best) | (c != c);
        best = take ? c : best;
        at = take ? width : at;
        take = (d > best) | (d != d);
        best = take ? d : best;
        at = take ? width + 1 : at;
        *y++ = best;
        *argmax++ = row + std::int32_t(2 * ow) + at;
      }
    }
  }
}

template <class T>
void max_pool_forward_planes(const Window2D& w, const T* x, T* y, std::int32_t* argmax,
                             std::size_t batch) {
  // Window positions (kh, kw) outermost and a block of outputs innermost: the outputs'
  // compare-and-select chains are independent, so they overlap in the pipeline instead of
  // waiting on one another (a chain per output ran at ~10 cycles per input element).
  const auto width = std::ptrdiff_t(w.width);
  const bool interior = w.pad_h == 0 && w.pad_w == 0 &&
                        (w.out_height - 1) * w.stride_h + w.kernel_h <= w.height &&
                        (w.out_width - 1) * w.stride_w + w.kernel_w <= w.width;
  if (interior && w.kernel_h == 2 && w.kernel_w == 2 && w.stride_h == 2 && w.stride_w == 2) {
    max_pool_2x2(w, x, y, argmax, batch);
    return;
  }
  if (interior) {
    // Every window inside the input (no padding, no ceil overhang): no bounds to check.
    const std::size_t planes = batch * w.channels;
    for (std::size_t p = 0; p < planes; ++p) {
      const T* in = x + p * w.height * w.width;
      for (std::size_t oh = 0; oh < w.out_height; ++oh)
        for (std::size_t ow = 0; ow < w.out_width; ++ow) {
          const std::ptrdiff_t start =
              std::ptrdiff_t(oh * w.stride_h) * width + std::ptrdiff_t(ow * w.stride_w);
          // The maximum first (vmaxss, no dependence on a select), then the first index that
          // holds it; a NaN, rare, takes the slow path so that it wins as in PyTorch.
          T best = in[start];
          bool nan = false;
          for (std::size_t kh = 0; kh < w.kernel_h; ++kh)
            for (std::size_t kw = 0; kw < w.kernel_w; ++kw) {
              const T v = in[start + std::ptrdiff_t(kh) * width + std::ptrdiff_t(kw)];
              best = v > best ? v : best;
              nan |= v != v;
            }
          std::ptrdiff_t where = -1;
          for (std::size_t kh = w.kernel_h; kh-- > 0;)
            for (std::size_t kw = w.kernel_w; kw-- > 0;) {
              const std::ptrdiff_t index = start + std::ptrdiff_t(kh) * width + std::ptrdiff_t(kw);
              const T v = in[index];
              if (nan) {
                // Backwards, the first NaN met is the window's last: it wins, as in PyTorch.
                if (v != v && where < 0) where = index;
              } else {
                where = v == best ? index : where;
              }
            }
          if (nan) best = in[where];
          *y++ = best;
          *argmax++ = static_cast<std::int32_t>(where);
        }
    }
    return;
  }
  constexpr std::size_t block = 64;
  T best[block];
  std::ptrdiff_t where[block];
  const std::size_t planes = batch * w.channels;
  for (std::size_t p = 0; p < planes; ++p) {
    const T* in = x + p * w.height * w.width;
    for (std::size_t oh = 0; oh < w.out_height; ++oh) {
      const Span rows = window_span(oh, w.stride_h, w.pad_h, w.kernel_h, w.height);
      for (std::size_t first = 0; first < w.out_width; first += block) {
        const std::size_t count = std::min(block, w.out_width - first);
        for (std::size_t i = 0; i < count; ++i) {
          // Start at the window's first element inside the input (there always is one).
          const Span cols = window_span(first + i, w.stride_w, w.pad_w, w.kernel_w, w.width);
          where[i] = rows.begin * width + cols.begin;
          best[i] = in[where[i]];
        }
        for (std::ptrdiff_t h = rows.begin; h < rows.end; ++h)
          for (std::size_t kw = 0; kw < w.kernel_w; ++kw) {
            // The outputs of this block whose tap kw lands inside the row.
            const std::ptrdiff_t offset = std::ptrdiff_t(kw) - std::ptrdiff_t(w.pad_w);
            std::size_t lo = 0, hi = count;
            while (lo < hi && std::ptrdiff_t((first + lo) * w.stride_w) + offset < 0) ++lo;
            while (hi > lo && std::ptrdiff_t((first + hi - 1) * w.stride_w) + offset >= width) --hi;
            for (std::size_t i = lo; i < hi; ++i) {
              const std::ptrdiff_t index =
                  h * width + std::ptrdiff_t((first + i) * w.stride_w) + offset;
              const T v = in[index];
              // A NaN wins its window and stays (v > NaN is false), as in PyTorch; ties keep
              // the first element.
              const bool take = (v > best[i]) | (v != v);
              best[i] = blend(take, v, best[i]);
              where[i] += (index - where[i]) * std::ptrdiff_t(take);
            }
          }
        for (std::size_t i = 0; i < count; ++i) {
          y[oh * w.out_width + first + i] = best[i];
          argmax[oh * w.out_width + first + i] = static_cast<std::int32_t>(where[i]);
        }
      }
    }
    y += w.out_height * w.out_width;
    argmax += w.out_height * w.out_width;
  }
}

template <class T>
void max_pool_backward_planes(const Window2D& w, const T* dy, const std::int32_t* argmax, T* dx,
                              std::size_t batch) {
  const std::size_t planes = batch * w.channels;
  const std::size_t in_plane = w.height * w.width;
  const std::size_t out_plane = w.out_height * w.out_width;
  std::fill(dx, dx + planes * in_plane, T(0));
  for (std::size_t p = 0; p < planes; ++p)
    for (std::size_t i = 0; i < out_plane; ++i)
      dx[p * in_plane + std::size_t(argmax[p * out_plane + i])] += dy[p * out_plane + i];
}

template <class T>
void avg_pool_forward_planes(const Window2D& w, const T* x, T* y, std::size_t batch) {
  const std::size_t planes = batch * w.channels;
  for (std::size_t p = 0; p < planes; ++p) {
    const T* in = x + p * w.height * w.width;
    for (std::size_t oh = 0; oh < w.out_height; ++oh) {
      const Span rows = window_span(oh, w.stride_h, w.pad_h, w.kernel_h, w.height);
      for (std::size_t ow = 0; ow < w.out_width; ++ow) {
        const Span cols = window_span(ow, w.stride_w, w.pad_w, w.kernel_w, w.width);
        T sum = 0;
        for (std::ptrdiff_t h = rows.begin; h < rows.end; ++h)
          for (std::ptrdiff_t c = cols.begin; c < cols.end; ++c)
            sum += in[h * std::ptrdiff_t(w.width) + c];
        const auto count =
            (rows.padded_end - rows.padded_begin) * (cols.padded_end - cols.padded_begin);
        *y++ = sum / T(count);
      }
    }
  }
}

template <class T>
void avg_pool_backward_planes(const Window2D& w, const T* dy, T* dx, std::size_t batch) {
  const std::size_t planes = batch * w.channels;
  std::fill(dx, dx + planes * w.height * w.width, T(0));
  for (std::size_t p = 0; p < planes; ++p) {
    T* in = dx + p * w.height * w.width;
    for (std::size_t oh = 0; oh < w.out_height; ++oh) {
      const Span rows = window_span(oh, w.stride_h, w.pad_h, w.kernel_h, w.height);
      for (std::size_t ow = 0; ow < w.out_width; ++ow) {
        const Span cols = window_span(ow, w.stride_w, w.pad_w, w.kernel_w, w.width);
        const auto count =
            (rows.padded_end - rows.padded_begin) * (cols.padded_end - cols.padded_begin);
        const T share = *dy++ / T(count);
        for (std::ptrdiff_t h = rows.begin; h < rows.end; ++h)
          for (std::ptrdiff_t c = cols.begin; c < cols.end; ++c)
            in[h * std::ptrdiff_t(w.width) + c] += share;
      }
    }
  }
}

// Pooling moves a few bytes per output at memory speed: below this many input elements waking
// the workers costs more than it saves (the element-wise passes' grain, expr/evaluate.hpp).
constexpr std::size_t parallel_inputs = std::size_t{1} << 17;

// Calls pool(one_plane_window, first_plane, planes) over the batch's (sample, channel) planes,
// split over the threads when the job is large. Each plane is pooled alone, so the result does
// not depend on the split.
template <class F>
void over_planes(const Window2D& w, std::size_t batch, F&& pool) {
  Window2D plane = w;
  plane.channels = 1;
  const std::size_t planes = batch * w.channels;
  if (planes * w.height * w.width < parallel_inputs) {
    pool(plane, std::size_t{0}, planes);
    return;
  }
  parallel_for(planes, [&](std::size_t begin, std::size_t end, std::size_t) {
    pool(plane, begin, end - begin);
  });
}

}  // namespace

template <class T>
void max_pool_forward(const Window2D& w, const T* x, T* y, std::int32_t* argmax,
                      std::size_t batch) {
  const std::size_t in = w.height * w.width, out = w.out_height * w.out_width;
  over_planes(w, batch, [&](const Window2D& one, std::size_t first, std::size_t planes) {
    max_pool_forward_planes(one, x + first * in, y + first * out, argmax + first * out, planes);
  });
}

template <class T>
void max_pool_backward(const Window2D& w, const T* dy, const std::int32_t* argmax, T* dx,
                       std::size_t batch) {
  const std::size_t in = w.height * w.width, out = w.out_height * w.out_width;
  over_planes(w, batch, [&](const Window2D& one, std::size_t first, std::size_t planes) {
    max_pool_backward_planes(one, dy + first * out, argmax + first * out, dx + first * in, planes);
  });
}

template <class T>
void avg_pool_forward(const Window2D& w, const T* x, T* y, std::size_t batch) {
  const std::size_t in = w.height * w.width, out = w.out_height * w.out_width;
  over_planes(w, batch, [&](const Window2D& one, std::size_t first, std::size_t planes) {
    avg_pool_forward_planes(one, x + first * in, y + first * out, planes);
  });
}

template <class T>
void avg_pool_backward(const Window2D& w, const T* dy, T* dx, std::size_t batch) {
  const std::size_t in = w.height * w.width, out = w.out_height * w.out_width;
  over_planes(w, batch, [&](const Window2D& one, std::size_t first, std::size_t planes) {
    avg_pool_backward_planes(one, dy + first * out, dx + first * in, planes);
  });
}

#define TYPENET_INSTANTIATE(T)                                                                  \
  template void max_pool_forward<T>(const Window2D&, const T*, T*, std::int32_t*, std::size_t); \
  template void max_pool_backward<T>(const Window2D&, const T*, const std::int32_t*, T*,        \
                                     std::size_t);                                              \
  template void avg_pool_forward<T>(const Window2D&, const T*, T*, std::size_t);                \
  template void avg_pool_backward<T>(const Window2D&, const T*, T*, std::size_t);
TYPENET_INSTANTIATE(float)
TYPENET_INSTANTIATE(double)
#undef TYPENET_INSTANTIATE

}  // namespace typenet::kernel
