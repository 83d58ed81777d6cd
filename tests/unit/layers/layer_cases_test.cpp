// Hand-computed layer cases: convolution, pooling routes, batch norm, dropout, LRN, and the
// per-sample state checks of backward.
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <random>
#include <typenet/typenet.hpp>

#include "../gradcheck.hpp"

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
  const std::array<float, 16> routed{0,  0, 0, 0,   //
                                     10, 0, 0, 20,  //
                                     30, 0, 0, 0,   //
                                     0,  0, 0, 40};
  for (std::size_t i = 0; i < 16; ++i) REQUIRE(dx[i] == routed[i]);
}

TEST_CASE("Batch norm: batch statistics in training, running statistics in evaluation", "[layer]") {
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
  GRADCHECK_REQUIRE(
      (gradcheck::check_layer<tn::LocalResponseNorm<4, Half, std::ratio<3, 4>, std::ratio<1>>,
                              Shape<6, 2, 2>>(2)));
}

TEST_CASE("Backward with another batch than forward is an error", "[layer]") {
  tn::Layer<tn::MaxPool2D<tn::Kernel<2>>, Shape<1, 4, 4>, float> pool(4);
  tn::Tensor<float, Shape<1, 4, 4>> x(4), dx(4);
  tn::Tensor<float, Shape<1, 2, 2>> y(4), dy(4);
  x.set_batch(2);
  pool.forward(x, y, tn::Mode::train);
  x.set_batch(4);
  REQUIRE_THROWS_WITH(
      pool.backward(x, y, dy, &dx),
      Catch::Contains("MaxPool2D: backward for a batch of 4 after a forward pass of 2"));
}
