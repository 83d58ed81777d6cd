// The lecture's worked numbers, computed by typenet's losses and layers.
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <span>
#include <typenet/typenet.hpp>

namespace tn = typenet;
using tn::Shape;

TEST_CASE("Multiclass SVM loss of the cat/car/frog scores: 2.9, 0, 12.9, mean 5.27", "[lecture]") {
  // scores[image][class], images and classes in the order cat, car, frog (the lecture's table).
  const std::array<std::array<float, 3>, 3> scores{
      {{3.2f, 5.1f, -1.7f}, {1.3f, 4.9f, 2.0f}, {2.2f, 2.5f, -3.1f}}};
  const std::array<double, 3> expected{2.9, 0.0, 12.9};
  tn::Tensor<float, Shape<3>> one(1);
  for (int image = 0; image < 3; ++image) {
    for (std::size_t c = 0; c < 3; ++c) one(0, c) = scores[image][c];
    const std::array<int, 1> label{image};
    CHECK(tn::loss::compute(tn::loss::Hinge{}, one, std::span<const int>(label)) ==
          Approx(expected[image]).margin(1e-5));
  }
  tn::Tensor<float, Shape<3>> all(3);
  for (std::size_t image = 0; image < 3; ++image)
    for (std::size_t c = 0; c < 3; ++c) all(image, c) = scores[image][c];
  const std::array<int, 3> labels{0, 1, 2};
  const double mean = tn::loss::compute(tn::loss::Hinge{}, all, std::span<const int>(labels));
  CHECK(mean == Approx(5.27).margin(0.005));
  CHECK(mean == Approx((2.9 + 0 + 12.9) / 3).margin(1e-5));
}

TEST_CASE("Softmax loss of the cat image: -log(0.13) = 2.04", "[lecture]") {
  tn::Tensor<double, Shape<3>> cat(1);
  cat(0, 0) = 3.2;
  cat(0, 1) = 5.1;
  cat(0, 2) = -1.7;
  const std::array<int, 1> label{0};
  const double loss =
      tn::loss::compute(tn::loss::SoftmaxCrossEntropy{}, cat, std::span<const int>(label));
  CHECK(loss == Approx(2.04).margin(0.005));
  // The lecture's probability of the right class, 0.13, from the Softmax layer itself.
  tn::Layer<tn::Softmax, Shape<3>, double> softmax;
  tn::Tensor<double, Shape<3>> p(1);
  softmax.forward(cat, p, tn::Mode::eval);
  CHECK(p(0, 0) == Approx(0.13).margin(0.005));
  CHECK(loss == Approx(-std::log(p(0, 0))).epsilon(1e-12));
}

TEST_CASE("The 2-2-2 sigmoid network: error 0.298371109, then w1 = 0.149780716, w5 = 0.358916480",
          "[lecture]") {
  using Net = tn::Sequential<tn::Input<2>, tn::Dense<2>, tn::Sigmoid, tn::Dense<2>, tn::Sigmoid>;
  tn::Network<Net, double> net(1);
  auto& hidden = net.layer<0>();
  auto& output = net.layer<2>();
  // Weights are Out x In: w1 (i1 -> h1), w2 (i2 -> h1), w3 (i1 -> h2), w4 (i2 -> h2).
  const std::array<double, 4> w1_4{0.15, 0.20, 0.25, 0.30};
  const std::array<double, 4> w5_8{0.40, 0.45, 0.50, 0.55};
  for (std::size_t i = 0; i < 4; ++i) {
    hidden.weight().value[i] = w1_4[i];
    output.weight().value[i] = w5_8[i];
  }
  hidden.bias().value[0] = hidden.bias().value[1] = 0.35;
  output.bias().value[0] = output.bias().value[1] = 0.60;

  tn::Tensor<double, Shape<2>> x(1), target(1), dy(1);
  x(0, 0) = 0.05;
  x(0, 1) = 0.10;
  target(0, 0) = 0.01;
  target(0, 1) = 0.99;
  const auto& out = net.forward(x, tn::Mode::train);
  CHECK(out(0, 0) == Approx(0.75136507).epsilon(1e-8));
  CHECK(out(0, 1) == Approx(0.772928465).epsilon(1e-8));
  // E = 1/2 sum (target - out)^2 over the two outputs = the mean over them of (target - out)^2.
  const double error = tn::loss::compute(tn::loss::MSE{}, out, target, &dy);
  CHECK(error == Approx(0.298371109).epsilon(1e-8));

  net.backward(x, dy);
  const double eta = 0.5;
  const double w1 = hidden.weight().value[0] - eta * hidden.weight().gradient[0];
  const double w5 = output.weight().value[0] - eta * output.weight().gradient[0];
  CHECK(w1 == Approx(0.149780716).epsilon(1e-8));
  CHECK(w5 == Approx(0.358916480).epsilon(1e-8));
}
