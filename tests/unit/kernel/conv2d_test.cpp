// The convolution kernel (im2col + GEMM; src/kernel/conv2d.cpp) against a direct convolution
// written from the definition, on odd shapes: strides, padding, dilation, groups, rectangular
// kernels, the 1x1 path, batches of one and batches larger than the thread count. Any rewrite
// of the kernel (folding samples into one GEMM, a blocked layout) must keep passing it. The
// direct convolution for small planes (kernel/detail/conv2d_direct.hpp) is checked the same way,
// in float and double, on shapes that exercise its partial packets and channel blocks.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <typenet/kernel/conv2d.hpp>
#include <typenet/kernel/parallel.hpp>
#include <typenet/typenet.hpp>
#include <vector>
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // which shapes the direct convolution takes
#include <typenet/kernel/detail/conv2d_direct.hpp>

namespace tn = typenet;

namespace {

struct Case {
  std::size_t channels, height, width, out_channels, groups;
  std::size_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
};

std::size_t output_size(std::size_t in, std::size_t k, std::size_t s, std::size_t p,
                        std::size_t d) {
  return (in + 2 * p - d * (k - 1) - 1) / s + 1;
}

tn::Conv2DGeometry geometry_of(const Case& c) {
  return {{c.channels, c.height, c.width,
           output_size(c.height, c.kernel_h, c.stride_h, c.pad_h, c.dilation_h),
           output_size(c.width, c.kernel_w, c.stride_w, c.pad_w, c.dilation_w), c.kernel_h,
           c.kernel_w, c.stride_h, c.stride_w, c.pad_h, c.pad_w, c.dilation_h, c.dilation_w},
          c.out_channels,
          c.groups};
}

// Calls f(n, o, oh, ow, c, kh, kw, x index, weight index) for every product term of the
// convolution's definition: y[n, o, oh, ow] += w[o, c - group start, kh, kw] * x[n, c, ih, iw].
template <class F>
void for_each_term(const tn::Conv2DGeometry& g, std::size_t batch, F&& f) {
  const auto& w = g.window;
  const std::size_t group_channels = w.channels / g.groups;
  for (std::size_t n = 0; n < batch; ++n)
    for (std::size_t o = 0; o < g.out_channels; ++o) {
      const std::size_t group = o / g.group_out();
      for (std::size_t oh = 0; oh < w.out_height; ++oh)
        for (std::size_t ow = 0; ow < w.out_width; ++ow)
          for (std::size_t ci = 0; ci < group_channels; ++ci)
            for (std::size_t kh = 0; kh < w.kernel_h; ++kh)
              for (std::size_t kw = 0; kw < w.kernel_w; ++kw) {
                const auto ih =
                    std::ptrdiff_t(oh * w.stride_h + kh * w.dilation_h) - std::ptrdiff_t(w.pad_h);
                const auto iw =
                    std::ptrdiff_t(ow * w.stride_w + kw * w.dilation_w) - std::ptrdiff_t(w.pad_w);
                if (ih < 0 || iw < 0 || ih >= std::ptrdiff_t(w.height) ||
                    iw >= std::ptrdiff_t(w.width))
                  continue;
                const std::size_t c = group * group_channels + ci;
                const std::size_t xi =
                    ((n * w.channels + c) * w.height + std::size_t(ih)) * w.width + std::size_t(iw);
                const std::size_t wi =
                    ((o * group_channels + ci) * w.kernel_h + kh) * w.kernel_w + kw;
                const std::size_t yi =
                    ((n * g.out_channels + o) * w.out_height + oh) * w.out_width + ow;
                f(yi, xi, wi);
              }
    }
}

std::vector<double> random_vector(std::size_t size, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<double> v(size);
  for (auto& e : v) e = u(rng);
  return v;
}

double worst_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    worst = std::max(worst, std::abs(a[i] - b[i]) / std::max(1.0, std::abs(b[i])));
  return worst;
}

// Runs forward and backward (with and without dx, with and without dweight) of one case and
// batch in T and compares every result with the definition, computed in double.
template <class T>
void check(const Case& c, std::size_t batch, std::mt19937_64& rng) {
  const auto g = geometry_of(c);
  const auto x = random_vector(batch * g.in_size(), rng);
  const auto weight = random_vector(g.weight_size(), rng);
  const auto dy = random_vector(batch * g.out_size(), rng);
  std::vector<double> y_ref(batch * g.out_size()), dx_ref(x.size()), dw_ref(weight.size());
  for_each_term(g, batch, [&](std::size_t yi, std::size_t xi, std::size_t wi) {
    y_ref[yi] += weight[wi] * x[xi];
    dx_ref[xi] += weight[wi] * dy[yi];
    dw_ref[wi] += dy[yi] * x[xi];
  });
  // Rounding: float sums of up to a few thousand terms of size 1.
  const double tolerance = std::is_same_v<T, double> ? 1e-12 : 1e-4;
  const auto as_t = [](const std::vector<double>& v) { return std::vector<T>(v.begin(), v.end()); };
  const auto as_double = [](const std::vector<T>& v) {
    return std::vector<double>(v.begin(), v.end());
  };
  const auto xt = as_t(x), wt = as_t(weight), dyt = as_t(dy);
  // NaN-filled outputs and workspace: every element must be written, none read before that.
  const T nan = std::numeric_limits<T>::quiet_NaN();
  std::vector<T> workspace(tn::kernel::conv2d_workspace_size(g), nan);
  std::vector<T> y(y_ref.size(), nan), dx(x.size(), nan), dw(weight.size(), nan);
  tn::kernel::conv2d_forward(g, xt.data(), wt.data(), y.data(), workspace.data(), batch);
  tn::kernel::conv2d_backward(g, xt.data(), wt.data(), dyt.data(), dx.data(), dw.data(),
                              workspace.data(), batch);
  CHECK(worst_difference(as_double(y), y_ref) < tolerance);
  CHECK(worst_difference(as_double(dx), dx_ref) < tolerance);
  CHECK(worst_difference(as_double(dw), dw_ref) < tolerance);
  // dx skipped (the network's input): dweight the same.
  std::vector<T> dw_alone(weight.size(), nan);
  tn::kernel::conv2d_backward<T>(g, xt.data(), wt.data(), dyt.data(), nullptr, dw_alone.data(),
                                 workspace.data(), batch);
  CHECK(worst_difference(as_double(dw_alone), dw_ref) < tolerance);
  // dweight skipped (ConvTranspose2D's forward): x is not read.
  std::vector<T> dx_alone(x.size(), nan);
  tn::kernel::conv2d_backward<T>(g, nullptr, wt.data(), dyt.data(), dx_alone.data(), nullptr,
                                 workspace.data(), batch);
  CHECK(worst_difference(as_double(dx_alone), dx_ref) < tolerance);
}

}  // namespace

TEST_CASE("Conv2D kernel against the definition: strides, padding, dilation, groups",
          "[layer][conv2d]") {
  // channels, H, W, out, groups, KH, KW, SH, SW, PH, PW, DH, DW
  const std::vector<Case> cases = {
      {3, 9, 7, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1},    // padded 3x3
      {2, 11, 10, 3, 1, 3, 2, 2, 3, 1, 0, 1, 1},  // rectangular kernel, strides, uneven pad
      {2, 12, 11, 2, 1, 3, 3, 1, 2, 2, 1, 2, 3},  // dilation
      {4, 8, 9, 6, 2, 3, 3, 2, 1, 1, 1, 1, 1},    // groups
      {6, 7, 7, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1},    // depthwise
      {3, 6, 5, 5, 1, 1, 1, 1, 1, 0, 0, 1, 1},    // 1x1: the path without im2col
      {4, 6, 6, 4, 2, 1, 1, 1, 1, 0, 0, 1, 1},    // grouped 1x1
      {2, 9, 9, 3, 1, 1, 1, 2, 2, 0, 0, 1, 1},    // strided 1x1
      {1, 32, 32, 6, 1, 5, 5, 1, 1, 0, 0, 1, 1},  // LeNet's first convolution
      {2, 26, 22, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1},  // a plane of 572, batch 37 split unevenly
      {1, 70, 66, 2, 1, 3, 3, 1, 1, 1, 1, 1, 1},  // a plane of 4,620 columns
      {3, 4, 5, 2, 1, 4, 5, 1, 1, 0, 0, 1, 1},    // kernel the size of the input: 1x1 out
  };
  std::mt19937_64 rng(29);
  const std::size_t before = tn::threads();
  for (std::size_t threads = 1; threads <= std::min<std::size_t>(2, tn::max_threads()); ++threads) {
    tn::set_threads(threads);
    for (std::size_t i = 0; i < cases.size(); ++i)
      for (std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{37}}) {
        INFO("case " << i << ", batch " << batch << ", threads " << threads);
        check<double>(cases[i], batch, rng);
      }
  }
  tn::set_threads(before);
}

TEST_CASE("The direct convolution of small planes against the definition, float and double",
          "[layer][conv2d]") {
  // channels, H, W, out, groups, KH, KW, SH, SW, PH, PW, DH, DW
  const std::vector<Case> cases = {
      {1, 32, 32, 6, 1, 5, 5, 1, 1, 0, 0, 1, 1},   // LeNet-5's first convolution
      {6, 14, 14, 16, 1, 5, 5, 1, 1, 0, 0, 1, 1},  // LeNet-5's second
      {2, 12, 17, 5, 1, 3, 3, 1, 1, 1, 1, 1, 1},   // a row of 17: one scalar in the last packet
      {1, 20, 20, 13, 1, 5, 5, 1, 1, 2, 2, 1, 1},  // 13 outputs: channel blocks and one left
      {2, 9, 11, 7, 1, 3, 5, 1, 1, 1, 2, 1, 1},    // rectangular kernel, uneven padding
      {3, 10, 12, 4, 1, 7, 7, 1, 1, 3, 3, 1, 1},   // 7 taps a row: blocks of 4 and 3
      {4, 6, 9, 2, 1, 2, 4, 1, 1, 1, 3, 1, 1},     // padding of kernel - 1
      {2, 13, 32, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1},   // rows of 32: the widest served
      {6, 14, 13, 16, 1, 5, 5, 1, 1, 0, 0, 1, 1},  // rows of 9, 16 outputs: channels in lanes
      {4, 10, 6, 8, 1, 3, 3, 1, 1, 1, 1, 1, 1},    // rows of 6, 8 outputs in lanes
  };
  std::mt19937_64 rng(31);
  const std::size_t before = tn::threads();
  for (std::size_t threads = 1; threads <= std::min<std::size_t>(2, tn::max_threads()); ++threads) {
    tn::set_threads(threads);
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const auto g = geometry_of(cases[i]);
      // The shapes above must take the direct path, else this tests the GEMM path twice.
      REQUIRE(tn::kernel::detail::direct_conv_serves<float>(g));
      REQUIRE(tn::kernel::detail::direct_conv_serves<double>(g));
      for (std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{37}}) {
        INFO("case " << i << ", batch " << batch << ", threads " << threads);
        check<float>(cases[i], batch, rng);
        check<double>(cases[i], batch, rng);
      }
    }
  }
  tn::set_threads(before);
}

TEST_CASE("The input gradient as a GEMM convolution of dy against the definition, float and double",
          "[layer][conv2d]") {
  // channels, H, W, out, groups, KH, KW, SH, SW, PH, PW, DH, DW
  const std::vector<Case> cases = {
      {2, 47, 66, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1},  // blocks of 7 rows and one of 5
      {3, 23, 40, 4, 1, 5, 5, 1, 1, 0, 0, 1, 1},  // unpadded: dy bordered by 4
      {2, 19, 45, 3, 1, 3, 5, 1, 1, 1, 2, 1, 1},  // rectangular kernel, uneven padding
      {2, 12, 50, 8, 1, 3, 3, 1, 1, 1, 1, 1, 1},  // blocks of 2 rows: all the buffer holds
  };
  std::mt19937_64 rng(37);
  const std::size_t before = tn::threads();
  for (std::size_t threads = 1; threads <= std::min<std::size_t>(2, tn::max_threads()); ++threads) {
    tn::set_threads(threads);
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const auto g = geometry_of(cases[i]);
      INFO("case " << i);
      // The shapes above must take this path, not the direct one.
      REQUIRE(tn::kernel::detail::transposed_input_gradient_serves(g));
      REQUIRE_FALSE(tn::kernel::detail::direct_conv_serves<float>(g));
      REQUIRE_FALSE(tn::kernel::detail::direct_conv_serves<double>(g));
      for (std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{37}}) {
        INFO("batch " << batch << ", threads " << threads);
        check<float>(cases[i], batch, rng);
        check<double>(cases[i], batch, rng);
      }
    }
  }
  tn::set_threads(before);
  // A row wider than a block's columns: blocks of one row. In double only: the weight gradient
  // sums 20,000 products per element, beyond float's tolerance above.
  const Case wide{2, 3, 600, 2, 1, 3, 3, 1, 1, 1, 1, 1, 1};
  REQUIRE(tn::kernel::detail::transposed_input_gradient_serves(geometry_of(wide)));
  for (std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{11}})
    check<double>(wide, batch, rng);
  // Where a block of dy's columns and the flipped weight do not fit in the im2col buffer (many
  // outputs of one input channel), or the stride is not 1, dCol + col2im computes dx.
  for (const Case& c : {Case{1, 10, 40, 64, 1, 3, 3, 1, 1, 1, 1, 1, 1},
                        Case{2, 11, 10, 3, 1, 3, 2, 2, 3, 1, 0, 1, 1},
                        Case{2, 12, 11, 2, 1, 3, 3, 1, 1, 2, 1, 2, 1}}) {
    REQUIRE_FALSE(tn::kernel::detail::transposed_input_gradient_serves(geometry_of(c)));
    check<double>(c, 3, rng);
  }
}
