// "No step allocates after the first", for every layer spec: each runs after a weight layer,
// so its backward pass runs with an input gradient asked for, then Flatten and a Dense head.
// tests/allocation/listed.cmake fails when a spec of include/typenet/spec/ is missing here.
#include <ratio>

#include "steps.hpp"

namespace tn = typenet;

namespace {

// Sizes large enough that the kernels split their work over two threads (more than
// kernel::parallel_grain multiply-adds at a batch of 32).
// Image specs: 3 x 16 x 16 -> Conv2D 1x1 (4 channels) -> Spec -> Flatten -> Dense<3>.
template <class Spec>
using OnImage = tn::Sequential<tn::Input<3, 16, 16>, tn::Conv2D<4, tn::Kernel<1>>, Spec,
                               tn::Flatten, tn::Dense<3>>;
// Vector specs: 256 -> Dense<64> -> Spec -> Flatten -> Dense<3>.
template <class Spec>
using OnVector = tn::Sequential<tn::Input<256>, tn::Dense<64>, Spec, tn::Flatten, tn::Dense<3>>;
// An activation after BatchNorm runs as a layer of its own (after a weight layer it is fused).
template <class Spec>
using Unfused = tn::Sequential<tn::Input<3, 16, 16>, tn::Conv2D<4, tn::Kernel<1>>, tn::BatchNorm,
                               Spec, tn::Flatten, tn::Dense<3>>;

constexpr std::size_t batch = 32;

template <class... Specs>
void on_images() {
  (allocation::require_no_allocation<OnImage<Specs>>(batch), ...);
}
template <class... Specs>
void on_vectors() {
  (allocation::require_no_allocation<OnVector<Specs>>(batch), ...);
}
template <class... Specs>
void unfused() {
  (allocation::require_no_allocation<Unfused<Specs>>(batch), ...);
}

}  // namespace

TEST_CASE("Weight layers allocate nothing after the first step", "[allocation]") {
  on_images<tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>,
            tn::Conv2D<4, tn::Kernel<3>, tn::Stride<2>, tn::Floor>,
            tn::Conv2D<4, tn::Kernel<3>, tn::Pad<2>, tn::Dilation<2>, tn::Groups<2>>,
            tn::Conv2D<6, tn::Kernel<1>, tn::Bias<false>>,
            tn::ConvTranspose2D<4, tn::Kernel<2>, tn::Stride<2>>,
            tn::ConvTranspose2D<4, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::OutputPad<1>>>();
  on_vectors<tn::Dense<6>, tn::Dense<6, tn::Bias<false>>, tn::Maxout<4, 3>>();
}

TEST_CASE("Pooling and resizing layers allocate nothing after the first step", "[allocation]") {
  on_images<tn::MaxPool2D<tn::Kernel<2>>, tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>, tn::Ceil>,
            tn::AvgPool2D<tn::Kernel<2>>, tn::AvgPool2D<tn::Kernel<3>, tn::Pad<1>, tn::Floor>,
            tn::GlobalAvgPool, tn::AdaptiveAvgPool2D<3>, tn::Upsample<>, tn::Upsample<tn::Bilinear>,
            tn::Flatten>();
}

TEST_CASE("Normalisation, dropout and identity allocate nothing after the first step",
          "[allocation]") {
  on_images<tn::BatchNorm, tn::BatchNormEps<std::ratio<1, 1000>>, tn::LocalResponseNorm<>,
            tn::Dropout<>, tn::Identity>();
  on_vectors<tn::BatchNorm, tn::Dropout<std::ratio<1, 4>>, tn::Identity>();
}

TEST_CASE("Activations allocate nothing after the first step", "[allocation]") {
  on_images<tn::ReLU, tn::Sigmoid, tn::Tanh, tn::LeakyReLU<>, tn::ELU<>, tn::PReLU, tn::Softmax,
            tn::Swish, tn::GELU, tn::Activation<tn::fn::swish>>();
  on_vectors<tn::ReLU, tn::Sigmoid, tn::Tanh, tn::LeakyReLU<std::ratio<1, 10>>, tn::ELU<>,
             tn::PReLU, tn::Softmax, tn::GELU>();
  unfused<tn::ReLU, tn::Sigmoid, tn::Tanh, tn::LeakyReLU<>, tn::ELU<>, tn::Swish, tn::GELU>();
}

namespace {
// A convolution to a 1 x 1 output is a matrix times a vector (34,816 values per sample here, more
// than Eigen's 128 KiB stack buffers): Eigen's GEMV copied a strided vector to the heap, once per
// sample and pass. The transposed convolution from a 1 x 1 input is its adjoint.
using ToOnePixel = tn::Sequential<tn::Input<3, 16, 16>, tn::Conv2D<136, tn::Kernel<1>>,
                                  tn::Conv2D<8, tn::Kernel<16>>, tn::Flatten, tn::Dense<3>>;
using FromOnePixel =
    tn::Sequential<tn::Input<4, 1, 1>, tn::Conv2D<100, tn::Kernel<1>>,
                   tn::ConvTranspose2D<2048, tn::Kernel<5>>, tn::Flatten, tn::Dense<3>>;
}  // namespace

TEST_CASE("Convolutions to and from one pixel (GEMV) allocate nothing after the first step",
          "[allocation]") {
  allocation::require_no_allocation<ToOnePixel>(4);
  allocation::require_no_allocation<FromOnePixel>(2);
}
