// Hand-computed layer cases, and the network-level properties: fused equals unfused, a whole
// network's gradient against finite differences, batch-norm folding.
#include <array>
#include <catch2/catch.hpp>
#include <atomic>
#include <random>
#include <typenet/kernel/pool2d.hpp>
#include <typenet/kernel/parallel.hpp>
#include <typenet/typenet.hpp>

#include "gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

TEST_CASE("Convolution of the padded 3x3 input with a 2x2 kernel, by hand", "[layer]") {
  // x = 1..9 row by row, padded by one zero on each side; kernel [[1, 2], [3, 4]], bias 1.
  tn::Tensor<double, Shape<1, 3, 3>> x(1);
  for (std::size_t i = 0; i < 9; ++i) x[i] = double(i + 1);
  const std::array<double, 4> kernel{1, 2, 3, 4};

  SECTION("stride 1: a 4x4 output") {
    tn::Layer<tn::Conv2D<1, tn::Kernel<2>, tn::Pad<1>>, Shape<1, 3, 3>, double> conv;
    for (std::size_t i = 0; i < 4; ++i) conv.weight().value[i] = kernel[i];
    conv.bias().value[0] = 1;
    tn::Tensor<double, Shape<1, 4, 4>> y(1);
    conv.forward(x, y, tn::Mode::eval);
    // Output (i, j) sees padded rows i, i+1 and columns j, j+1; e.g. (0, 0) = 4*1 + 1 = 5,
    // (1, 1) = 1*1 + 2*2 + 3*4 + 4*5 + 1 = 38, (3, 3) = 1*9 + 1 = 10.
    const std::array<double, 16> expected{5,  12, 19, 10, 19, 38, 48, 22,
                                          37, 68, 78, 34, 15, 24, 27, 10};
    for (std::size_t i = 0; i < 16; ++i) REQUIRE(y[i] == expected[i]);
  }
  SECTION("stride 2 with floor rounding: a 2x2 output") {
    tn::Layer<tn::Conv2D<1, tn::Kernel<2>, tn::Pad<1>, tn::Stride<2>, tn::Floor>, Shape<1, 3, 3>,
              double>
        conv;
    for (std::size_t i = 0; i < 4; ++i) conv.weight().value[i] = kernel[i];
    conv.bias().value[0] = 1;
    tn::Tensor<double, Shape<1, 2, 2>> y(1);
    conv.forward(x, y, tn::Mode::eval);
    const std::array<double, 4> expected{5, 19, 37, 78};
    for (std::size_t i = 0; i < 4; ++i) REQUIRE(y[i] == expected[i]);
  }
}

TEST_CASE("Max pooling routes each gradient to its window's maximum", "[layer]") {
  tn::Layer<tn::MaxPool2D<tn::Kernel<2>>, Shape<1, 4, 4>, float> pool(1);
  tn::Tensor<float, Shape<1, 4, 4>> x(1), dx(1);
  const std::array<float, 16> input{1, 3, 2, 1,  //
                                    4, 2, 0, 8,  //
                                    5, 1, 7, 6,  //
                                    0, 2, 3, 9};
  for (std::size_t i = 0; i < 16; ++i) x[i] = input[i];
  tn::Tensor<float, Shape<1, 2, 2>> y(1), dy(1);
  pool.forward(x, y, tn::Mode::train);
  CHECK(y[0] == 4);
  CHECK(y[1] == 8);
  CHECK(y[2] == 5);
  CHECK(y[3] == 9);
  for (std::size_t i = 0; i < 4; ++i) dy[i] = float(10 * (i + 1));
  pool.backward(x, y, dy, &dx);
  const std::array<float, 16> routed{0, 0,  0, 0,   //
                                     10, 0, 0, 20,  //
                                     30, 0, 0, 0,   //
                                     0, 0,  0, 40};
  for (std::size_t i = 0; i < 16; ++i) REQUIRE(dx[i] == routed[i]);
}

TEST_CASE("Batch norm: batch statistics in training, running statistics in evaluation",
          "[layer]") {
  tn::Layer<tn::BatchNorm, Shape<2>, double> bn(4);
  tn::Tensor<double, Shape<2>> x(4), y(4);
  // Channel 0: 1, 2, 3, 4 (mean 2.5, biased variance 1.25); channel 1: constant 7.
  for (std::size_t n = 0; n < 4; ++n) {
    x(n, 0) = double(n + 1);
    x(n, 1) = 7;
  }
  bn.forward(x, y, tn::Mode::train);
  for (std::size_t n = 0; n < 4; ++n) {
    CHECK(y(n, 0) == Approx((double(n + 1) - 2.5) / std::sqrt(1.25 + 1e-5)));
    CHECK(y(n, 1) == Approx(0).margin(1e-12));
  }
  // Running statistics moved 10 % of the way from (0, 1) towards the batch's mean and its
  // unbiased variance (5/3 for channel 0, 0 for channel 1).
  CHECK(bn.running_mean()[0] == Approx(0.25));
  CHECK(bn.running_mean()[1] == Approx(0.7));
  CHECK(bn.running_var()[0] == Approx(0.9 + 0.1 * 5.0 / 3.0));
  CHECK(bn.running_var()[1] == Approx(0.9));

  bn.forward(x, y, tn::Mode::eval);
  for (std::size_t n = 0; n < 4; ++n) {
    CHECK(y(n, 0) == Approx((double(n + 1) - 0.25) / std::sqrt(0.9 + 0.1 * 5.0 / 3.0 + 1e-5)));
    CHECK(y(n, 1) == Approx((7 - 0.7) / std::sqrt(0.9 + 1e-5)));
  }
}

TEST_CASE("Batch norm folds into the convolution before it", "[layer]") {
  using Conv = tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>;
  using Net = tn::Sequential<tn::Input<2, 5, 5>, Conv, tn::BatchNorm>;
  tn::Network<Net, double> net(4);
  std::mt19937_64 rng(11);
  tn::Tensor<double, Shape<2, 5, 5>> x(4);
  gradcheck::randomise(x, rng);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] += u(rng);
  for (int step = 0; step < 3; ++step) net.forward(x, tn::Mode::train);  // running statistics
  const auto reference = net.forward(x, tn::Mode::eval);

  tn::Network<tn::Sequential<tn::Input<2, 5, 5>, Conv>, double> folded(4);
  auto& conv = folded.layer<0>();
  for (std::size_t k = 0; k < 2; ++k)
    for (std::size_t i = 0; i < conv.parameters()[k].size(); ++i)
      conv.parameters()[k].value[i] = net.layer<0>().parameters()[k].value[i];
  tn::fold_batchnorm(conv, net.layer<1>());
  const auto& y = folded.forward(x, tn::Mode::eval);
  for (std::size_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == Approx(reference[i]).margin(1e-12));
}

TEST_CASE("Dropout: inverted scaling, seeded, identity in evaluation", "[layer]") {
  tn::Layer<tn::Dropout<std::ratio<1, 4>>, Shape<1000>, float> drop(2);
  tn::Tensor<float, Shape<1000>> x(2), y(2), again(2);
  x.fill(1);
  drop.seed(3);
  drop.forward(x, y, tn::Mode::train);
  std::size_t kept = 0;
  for (auto v : y.span()) {
    REQUIRE((v == 0 || v == Approx(4.0f / 3)));
    kept += v != 0;
  }
  CHECK(kept > 1400);  // 1500 expected of 2000; 1400 is 5 standard deviations below
  CHECK(kept < 1600);
  drop.seed(3);
  drop.forward(x, again, tn::Mode::train);
  for (std::size_t i = 0; i < y.size(); ++i) REQUIRE(again[i] == y[i]);
  drop.forward(x, y, tn::Mode::eval);
  for (auto v : y.span()) REQUIRE(v == 1);
}

namespace {

using Mixed = tn::Sequential<tn::Input<2, 7, 7>, tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
                             tn::Conv2D<4, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>>, tn::ELU<>,
                             tn::MaxPool2D<tn::Kernel<2>>, tn::Flatten, tn::Dense<5>, tn::Tanh,
                             tn::Dense<4, tn::Bias<false>>, tn::Swish, tn::Dense<3>, tn::Sigmoid>;

template <tn::Fusion F>
void run(tn::Network<Mixed, double, F>& net, const tn::Tensor<double, Shape<2, 7, 7>>& x,
         const tn::Tensor<double, Shape<3>>& dy, tn::Tensor<double, Shape<2, 7, 7>>& dx,
         std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-0.6, 0.6);
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] = u(rng);
  net.forward(x, tn::Mode::train);
  net.backward(x, dy, &dx);
}

}  // namespace

TEST_CASE("Fused weight layer + activation equals the unfused layers", "[network]") {
  static_assert(tn::Network<Mixed, double>::fused<0>());   // Conv2D + ReLU
  static_assert(tn::Network<Mixed, double>::fused<2>());   // Conv2D + ELU
  static_assert(!tn::Network<Mixed, double>::fused<4>());  // MaxPool2D
  static_assert(tn::Network<Mixed, double>::fused<8>());   // Dense (no bias) + Swish
  static_assert(!tn::Network<Mixed, double, tn::Fusion::off>::fused<0>());

  tn::Network<Mixed, double> fused(3);
  tn::Network<Mixed, double, tn::Fusion::off> plain(3);
  std::mt19937_64 rng(2);
  tn::Tensor<double, Shape<2, 7, 7>> x(3), dx_fused(3), dx_plain(3);
  tn::Tensor<double, Shape<3>> dy(3);
  gradcheck::randomise(x, rng);
  gradcheck::randomise(dy, rng);
  run(fused, x, dy, dx_fused, 9);
  run(plain, x, dy, dx_plain, 9);
  const auto& a = fused.forward(x, tn::Mode::train);
  const auto& b = plain.forward(x, tn::Mode::train);
  for (std::size_t i = 0; i < a.size(); ++i) REQUIRE(a[i] == Approx(b[i]).margin(1e-14));
  for (std::size_t i = 0; i < x.size(); ++i)
    REQUIRE(dx_fused[i] == Approx(dx_plain[i]).margin(1e-14));
  const auto pf = fused.parameters();
  const auto pp = plain.parameters();
  REQUIRE(pf.size() == pp.size());
  for (std::size_t k = 0; k < pf.size(); ++k)
    for (std::size_t i = 0; i < pf[k]->size(); ++i)
      REQUIRE(pf[k]->gradient[i] == Approx(pp[k]->gradient[i]).margin(1e-14));
}

TEST_CASE("A whole fused network's gradients against finite differences", "[network][gradient]") {
  tn::Network<Mixed, double> net(2);
  std::mt19937_64 rng(4);
  tn::Tensor<double, Shape<2, 7, 7>> x(2), dx(2);
  tn::Tensor<double, Shape<3>> r(2);
  gradcheck::randomise(x, rng);
  gradcheck::randomise(r, rng);
  run(net, x, r, dx, 21);
  const auto loss = [&] {
    const auto& y = net.forward(x, tn::Mode::train);
    double total = 0;
    for (std::size_t i = 0; i < y.size(); ++i) total += y[i] * r[i];
    return total;
  };
  gradcheck::Worst worst;
  gradcheck::compare(worst, x.data(), dx.data(), x.size(), loss, "input");
  for (auto* p : net.parameters()) {
    const std::vector<double> analytic(p->gradient.data(), p->gradient.data() + p->size());
    gradcheck::compare(worst, p->value.data(), analytic.data(), p->size(), loss,
                       std::string(p->name()));
  }
  GRADCHECK_REQUIRE(worst);
}

TEST_CASE("Run-time batch beyond the capacity is an error, not an overflow", "[network]") {
  tn::Network<Mixed, float> net(2);
  tn::Tensor<float, Shape<2, 7, 7>> x(3);
  REQUIRE_THROWS_WITH(net.forward(x), Catch::Contains("exceeds the capacity of 2"));
}

TEST_CASE("Threads: same result for 1 and 2 threads, bitwise repeatable for each", "[network]") {
  using Net = tn::Sequential<tn::Input<3, 9, 9>, tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU,
                             tn::Flatten, tn::Dense<6>>;
  tn::Network<Net, float> net(5);
  std::mt19937_64 rng(13);
  tn::Tensor<float, Shape<3, 9, 9>> x(5), dx(5);
  tn::Tensor<float, Shape<6>> dy(5);
  gradcheck::randomise(x, rng);
  gradcheck::randomise(dy, rng);
  std::uniform_real_distribution<float> u(-0.3f, 0.3f);
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] = u(rng);
  const auto gradients = [&](std::size_t threads) {
    tn::set_threads(threads);
    net.forward(x, tn::Mode::train);
    net.backward(x, dy, &dx);
    std::vector<float> all(dx.span().begin(), dx.span().end());
    for (auto* p : net.parameters()) all.insert(all.end(), p->gradient.data(), p->gradient.data() + p->size());
    return all;
  };
  const std::size_t saved = tn::threads();
  const auto one = gradients(1);
  const auto two = gradients(std::min<std::size_t>(2, tn::max_threads()));
  const auto two_again = gradients(std::min<std::size_t>(2, tn::max_threads()));
  tn::set_threads(saved);
  REQUIRE(one.size() == two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    REQUIRE(two[i] == Approx(one[i]).margin(1e-5));
    REQUIRE(two_again[i] == two[i]);
  }
  REQUIRE_THROWS_WITH(tn::set_threads(0), Catch::Contains("between 1 and"));
}

TEST_CASE("Backward runs again with the same result (forward outputs stay intact)", "[network]") {
  tn::Network<Mixed, double> net(2);
  std::mt19937_64 rng(8);
  tn::Tensor<double, Shape<2, 7, 7>> x(2), dx(2), dx_again(2);
  tn::Tensor<double, Shape<3>> dy(2);
  gradcheck::randomise(x, rng);
  gradcheck::randomise(dy, rng);
  run(net, x, dy, dx, 5);
  std::vector<double> first;
  for (auto* p : net.parameters()) first.insert(first.end(), p->gradient.data(), p->gradient.data() + p->size());
  net.backward(x, dy, &dx_again);
  std::size_t k = 0;
  for (auto* p : net.parameters())
    for (std::size_t i = 0; i < p->size(); ++i) REQUIRE(p->gradient[i] == first[k++]);
  for (std::size_t i = 0; i < x.size(); ++i) REQUIRE(dx_again[i] == dx[i]);
}

TEST_CASE("Local response normalisation: PyTorch's window, odd and even sizes", "[layer]") {
  // b_c = a_c / (k + alpha * sum_{c' = c - size/2 .. c + (size-1)/2} a_c'^2)^beta, by hand.
  const auto check = [](auto layer, std::size_t size, double alpha, double beta, double k) {
    tn::Tensor<double, Shape<6, 1, 2>> x(1), y(1);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.3 * double(i) - 1;
    layer.forward(x, y, tn::Mode::eval);
    for (std::size_t c = 0; c < 6; ++c)
      for (std::size_t p = 0; p < 2; ++p) {
        double sum = 0;
        for (std::ptrdiff_t j = std::ptrdiff_t(c) - std::ptrdiff_t(size / 2);
             j <= std::ptrdiff_t(c) + std::ptrdiff_t((size - 1) / 2); ++j)
          if (j >= 0 && j < 6) sum += x(0, std::size_t(j), 0, p) * x(0, std::size_t(j), 0, p);
        REQUIRE(y(0, c, 0, p) == Approx(x(0, c, 0, p) / std::pow(k + alpha * sum, beta)));
      }
  };
  using Half = std::ratio<1, 2>;
  check(tn::Layer<tn::LocalResponseNorm<3, Half, std::ratio<3, 4>, std::ratio<1>>, Shape<6, 1, 2>,
                  double>(1),
        3, 0.5, 0.75, 1);
  check(tn::Layer<tn::LocalResponseNorm<4, Half, std::ratio<3, 4>, std::ratio<1>>, Shape<6, 1, 2>,
                  double>(1),
        4, 0.5, 0.75, 1);
  GRADCHECK_REQUIRE((gradcheck::check_layer<
                     tn::LocalResponseNorm<4, Half, std::ratio<3, 4>, std::ratio<1>>, Shape<6, 2, 2>>(2)));
}

TEST_CASE("Backward with another batch than forward is an error", "[layer]") {
  tn::Layer<tn::MaxPool2D<tn::Kernel<2>>, Shape<1, 4, 4>, float> pool(4);
  tn::Tensor<float, Shape<1, 4, 4>> x(4), dx(4);
  tn::Tensor<float, Shape<1, 2, 2>> y(4), dy(4);
  x.set_batch(2);
  pool.forward(x, y, tn::Mode::train);
  x.set_batch(4);
  REQUIRE_THROWS_WITH(pool.backward(x, y, dy, &dx),
                      Catch::Contains("MaxPool2D: backward for a batch of 4 after a forward pass of 2"));
}

TEST_CASE("An exception inside a parallel region reaches the caller, and the pool stays usable",
          "[threads]") {
  const std::size_t saved = tn::threads();
  tn::set_threads(tn::max_threads());
  for (std::size_t thrower = 0; thrower < tn::max_threads(); ++thrower) {
    REQUIRE_THROWS_WITH(tn::kernel::parallel_for(8,
                                                 [&](std::size_t, std::size_t, std::size_t chunk) {
                                                   if (chunk == thrower)
                                                     throw std::runtime_error("chunk failed");
                                                 }),
                        "chunk failed");
  }
  std::atomic<std::size_t> covered{0};
  tn::kernel::parallel_for(100, [&](std::size_t begin, std::size_t end, std::size_t) {
    covered += end - begin;
  });
  REQUIRE(covered == 100);
  tn::set_threads(saved);
}

TEST_CASE("Max pooling kernel against brute force: padding, strides, ceil windows", "[layer]") {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<float> u(-1, 1);
  std::size_t cases = 0;
  for (std::size_t size = 4; size <= 9; ++size)
    for (std::size_t k = 1; k <= 3; ++k)
      for (std::size_t s = 1; s <= 3; ++s)
        for (std::size_t pad = 0; pad <= k / 2; ++pad) {
          const auto out = tn::detail::window_output<tn::Ceil>({size, k, s, pad, 1});
          if (out == 0) continue;
          const tn::Window2D w{2, size, size + 1, out,
                                       tn::detail::window_output<tn::Ceil>({size + 1, k, s, pad, 1}),
                                       k, k, s, s, pad, pad, 1, 1};
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
                    const float v = x[p * w.height * w.width + std::size_t(h) * w.width + std::size_t(c)];
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
