// Every layer's backward pass against central finite differences (gradcheck.hpp), in double,
// with strides, padding, dilation, rectangular kernels, groups, odd sizes and batch > 1.
#include "../gradcheck.hpp"

namespace tn = typenet;
using gradcheck::check_layer;
using tn::Shape;

TEST_CASE("Dense gradients", "[gradient]") {
  GRADCHECK_REQUIRE((check_layer<tn::Dense<5>, Shape<7>>(3)));
  GRADCHECK_REQUIRE((check_layer<tn::Dense<4, tn::Bias<false>>, Shape<6>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::Dense<1>, Shape<3>>(1)));
}

TEST_CASE("Conv2D gradients", "[gradient]") {
  SECTION("3x3, odd input") {
    GRADCHECK_REQUIRE((check_layer<tn::Conv2D<3, tn::Kernel<3>>, Shape<2, 5, 5>>(2)));
  }
  SECTION("stride 2, pad 1") {
    GRADCHECK_REQUIRE(
        (check_layer<tn::Conv2D<2, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>>, Shape<2, 7, 7>>(2)));
  }
  SECTION("stride 3") {
    GRADCHECK_REQUIRE(
        (check_layer<tn::Conv2D<2, tn::Kernel<2>, tn::Stride<3>>, Shape<3, 8, 8>>(2)));
  }
  SECTION("dilation 2") {
    GRADCHECK_REQUIRE(
        (check_layer<tn::Conv2D<2, tn::Kernel<3>, tn::Dilation<2>>, Shape<2, 7, 7>>(2)));
  }
  SECTION("rectangular kernel, stride and padding per axis") {
    GRADCHECK_REQUIRE((check_layer<tn::Conv2D<3, tn::Kernel<2, 3>, tn::Stride<1, 2>, tn::Pad<1, 0>>,
                                   Shape<2, 5, 7>>(2)));
  }
  SECTION("groups") {
    GRADCHECK_REQUIRE(
        (check_layer<tn::Conv2D<4, tn::Kernel<3>, tn::Groups<2>>, Shape<4, 5, 5>>(2)));
  }
  SECTION("depthwise, padded") {
    GRADCHECK_REQUIRE(
        (check_layer<tn::Conv2D<3, tn::Kernel<3>, tn::Groups<3>, tn::Pad<1>>, Shape<3, 5, 5>>(2)));
  }
  SECTION("1x1 (no im2col) and without bias") {
    GRADCHECK_REQUIRE((check_layer<tn::Conv2D<4, tn::Kernel<1>>, Shape<3, 4, 4>>(2)));
    GRADCHECK_REQUIRE(
        (check_layer<tn::Conv2D<2, tn::Kernel<3>, tn::Bias<false>>, Shape<2, 4, 4>>(2)));
  }
  SECTION("1x1 with stride, grouped 1x1") {
    GRADCHECK_REQUIRE(
        (check_layer<tn::Conv2D<2, tn::Kernel<1>, tn::Stride<2>>, Shape<2, 5, 5>>(2)));
    GRADCHECK_REQUIRE(
        (check_layer<tn::Conv2D<4, tn::Kernel<1>, tn::Groups<2>>, Shape<4, 3, 3>>(2)));
  }
  SECTION("floor rounding leaves the last rows unused") {
    GRADCHECK_REQUIRE(
        (check_layer<tn::Conv2D<2, tn::Kernel<3>, tn::Stride<2>, tn::Floor>, Shape<1, 6, 6>>(2)));
  }
}

TEST_CASE("Pooling gradients", "[gradient]") {
  GRADCHECK_REQUIRE((check_layer<tn::MaxPool2D<tn::Kernel<2>>, Shape<2, 6, 6>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>>, Shape<2, 7, 7>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>, tn::Ceil>, Shape<1, 5, 5>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::AvgPool2D<tn::Kernel<2>>, Shape<2, 4, 6>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::AvgPool2D<tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>>, Shape<2, 7, 7>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::AvgPool2D<tn::Kernel<2>, tn::Stride<2>, tn::Ceil>, Shape<1, 5, 5>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::AvgPool2D<tn::Kernel<3, 2>, tn::Stride<1, 2>>, Shape<1, 5, 6>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::GlobalAvgPool, Shape<3, 3, 5>>(2)));
}

TEST_CASE("Flatten, Dropout, BatchNorm, LocalResponseNorm gradients", "[gradient]") {
  GRADCHECK_REQUIRE((check_layer<tn::Flatten, Shape<2, 3, 3>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::Dropout<>, Shape<2, 3, 3>>(3)));
  GRADCHECK_REQUIRE((check_layer<tn::Dropout<tn::PerMille<200>>, Shape<9>>(3, tn::Mode::eval)));
  GRADCHECK_REQUIRE((check_layer<tn::BatchNorm, Shape<3, 3, 3>>(3)));
  GRADCHECK_REQUIRE((check_layer<tn::BatchNorm, Shape<5>>(4)));
  GRADCHECK_REQUIRE((check_layer<tn::BatchNorm, Shape<2, 3, 3>>(2, tn::Mode::eval)));
  GRADCHECK_REQUIRE((check_layer<tn::LocalResponseNorm<>, Shape<7, 2, 3>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::LocalResponseNorm<3, std::ratio<1, 2>, std::ratio<3, 4>, std::ratio<1>>,
                   Shape<4, 2, 2>>(2)));
}

TEST_CASE("Activation gradients", "[gradient]") {
  GRADCHECK_REQUIRE((check_layer<tn::Sigmoid, Shape<2, 3, 3>>(2, tn::Mode::train, 1, -4, 4)));
  GRADCHECK_REQUIRE((check_layer<tn::Tanh, Shape<7>>(2, tn::Mode::train, 1, -3, 3)));
  GRADCHECK_REQUIRE((check_layer<tn::ReLU, Shape<2, 3, 3>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::LeakyReLU<>, Shape<9>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::LeakyReLU<std::ratio<1, 5>>, Shape<2, 2, 2>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::ELU<>, Shape<2, 3, 3>>(2, tn::Mode::train, 1, -3, 3)));
  GRADCHECK_REQUIRE((check_layer<tn::ELU<std::ratio<1, 2>>, Shape<6>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::PReLU, Shape<3, 2, 2>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::PReLU, Shape<5>>(3)));
  GRADCHECK_REQUIRE((check_layer<tn::Softmax, Shape<6>>(3, tn::Mode::train, 1, -3, 3)));
  GRADCHECK_REQUIRE((check_layer<tn::Softmax, Shape<4, 2, 3>>(2, tn::Mode::train, 1, -3, 3)));
  GRADCHECK_REQUIRE((check_layer<tn::Maxout<3, 4>, Shape<5>>(3)));
  GRADCHECK_REQUIRE((check_layer<tn::Swish, Shape<2, 3, 3>>(2, tn::Mode::train, 1, -4, 4)));
  GRADCHECK_REQUIRE((check_layer<tn::GELU, Shape<8>>(2, tn::Mode::train, 1, -3, 3)));
}
