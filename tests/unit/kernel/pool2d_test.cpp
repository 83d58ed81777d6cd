// The max-pooling kernel against brute force.
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <random>
#include <typenet/kernel/pool2d.hpp>
#include <typenet/typenet.hpp>

#include "../gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

// Ceil windows may hang over the input; floor windows on even sizes are the interior paths,
// 2x2 at stride 2 among them.
template <class Rounding>
void max_pool_against_brute_force() {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<float> u(-1, 1);
  std::size_t cases = 0;
  for (std::size_t size = 4; size <= 9; ++size)
    for (std::size_t k = 1; k <= 3; ++k)
      for (std::size_t s = 1; s <= 3; ++s)
        for (std::size_t pad = 0; pad <= k / 2; ++pad) {
          const auto out = tn::detail::window_output<Rounding>({size, k, s, pad, 1});
          if (out == 0) continue;
          const tn::Window2D w{2,
                               size,
                               size + 1,
                               out,
                               tn::detail::window_output<Rounding>({size + 1, k, s, pad, 1}),
                               k,
                               k,
                               s,
                               s,
                               pad,
                               pad,
                               1,
                               1};
          std::vector<float> x(2 * w.channels * w.height * w.width);
          for (auto& v : x) v = std::round(u(rng) * 4) / 4;  // ties happen
          std::vector<float> y(2 * w.channels * w.out_height * w.out_width);
          std::vector<std::int32_t> argmax(y.size());
          tn::kernel::max_pool_forward(w, x.data(), y.data(), argmax.data(), 2);
          for (std::size_t p = 0; p < 2 * w.channels; ++p)
            for (std::size_t oh = 0; oh < w.out_height; ++oh)
              for (std::size_t ow = 0; ow < w.out_width; ++ow) {
                float best = -std::numeric_limits<float>::infinity();
                std::ptrdiff_t where = -1;
                for (std::size_t kh = 0; kh < k; ++kh)
                  for (std::size_t kw = 0; kw < k; ++kw) {
                    const auto h = std::ptrdiff_t(oh * s + kh) - std::ptrdiff_t(pad);
                    const auto c = std::ptrdiff_t(ow * s + kw) - std::ptrdiff_t(pad);
                    if (h < 0 || c < 0 || h >= std::ptrdiff_t(w.height) ||
                        c >= std::ptrdiff_t(w.width))
                      continue;
                    const float v =
                        x[p * w.height * w.width + std::size_t(h) * w.width + std::size_t(c)];
                    if (where < 0 || v > best) {
                      best = v;
                      where = h * std::ptrdiff_t(w.width) + c;
                    }
                  }
                const std::size_t o = (p * w.out_height + oh) * w.out_width + ow;
                REQUIRE(y[o] == best);
                REQUIRE(argmax[o] == where);
                ++cases;
              }
        }
  CHECK(cases > 1000);
}

TEST_CASE("Max pooling kernel against brute force: padding, strides, ceil windows", "[layer]") {
  max_pool_against_brute_force<tn::Ceil>();
}

TEST_CASE("Max pooling kernel against brute force: floor windows (the interior paths)", "[layer]") {
  max_pool_against_brute_force<tn::Floor>();
}

TEST_CASE("Max pooling kernel: NaN wins its window, the last NaN if there are more (PyTorch)",
          "[layer]") {
  // Every path: the general one (padding), the interior one (3x3) and 2x2 at stride 2.
  for (std::size_t k : {2, 3})
    for (std::size_t pad : {0, 1}) {
      const std::size_t out = (6 + 2 * pad - k) / 2 + 1;
      const tn::Window2D w{1, 6, 6, out, out, k, k, 2, 2, pad, pad, 1, 1};
      std::vector<float> x(36, 1.0f), y(out * out);
      std::vector<std::int32_t> argmax(y.size());
      // The window of output (1, 1) starts at input (2 - pad, 2 - pad); NaNs at two of its taps.
      const std::size_t first = (2 - pad) * 6 + (2 - pad);
      x[first] = std::numeric_limits<float>::quiet_NaN();
      x[first + 6 + 1] = std::numeric_limits<float>::quiet_NaN();
      x[first + 1] = 7;
      tn::kernel::max_pool_forward(w, x.data(), y.data(), argmax.data(), 1);
      INFO("kernel " << k << ", padding " << pad);
      REQUIRE(std::isnan(y[out + 1]));
      REQUIRE(argmax[out + 1] == std::int32_t(first + 6 + 1));
    }
}

TEST_CASE("Max pooling kernel: a NaN wins its window, as in PyTorch", "[layer]") {
  // A NaN wins its window, as in PyTorch (with and without padding).
  for (std::size_t pad : {0, 1}) {
    const tn::Window2D w{1, 4, 4, 2 + pad, 2 + pad, 2, 2, 2, 2, pad, pad, 1, 1};
    std::vector<float> x(16, 1.0f), y((2 + pad) * (2 + pad));
    std::vector<std::int32_t> argmax(y.size());
    x[5] = std::numeric_limits<float>::quiet_NaN();
    x[4] = 7;
    tn::kernel::max_pool_forward(w, x.data(), y.data(), argmax.data(), 1);
    const std::size_t o = pad == 0 ? 0 : 1 * (2 + pad) + 1;  // the window holding (1, 1)
    REQUIRE(std::isnan(y[o]));
    REQUIRE(argmax[o] == 5);
  }
}
