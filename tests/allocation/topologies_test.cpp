// "No step allocates after the first", for every topology (Block, Residual with an identity and a
// projection shortcut, Concat, CropConcat, Heads) and nestings of them.
#include <span>
#include <tuple>

#include "steps.hpp"

namespace tn = typenet;

namespace {

using ConvBN =
    tn::Block<tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>, tn::Bias<false>>, tn::BatchNorm, tn::ReLU>;
using Identity = tn::Residual<tn::Block<ConvBN, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>>>;
using Projection = tn::Residual<
    tn::Block<tn::Conv2D<8, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::Floor>, tn::BatchNorm>,
    tn::Block<tn::Conv2D<8, tn::Kernel<1>, tn::Stride<2>, tn::Floor>, tn::BatchNorm>>;
using Inception = tn::Concat<tn::Conv2D<2, tn::Kernel<1>>, ConvBN,
                             tn::Block<tn::MaxPool2D<tn::Kernel<3>, tn::Stride<1>, tn::Pad<1>>,
                                       tn::Conv2D<2, tn::Kernel<1>>>>;
using Dense = tn::Concat<tn::Identity, ConvBN>;
using Skip =
    tn::CropConcat<tn::Identity, tn::Block<tn::MaxPool2D<tn::Kernel<2>>, ConvBN,
                                           tn::ConvTranspose2D<4, tn::Kernel<2>, tn::Stride<2>>>>;
using Nested = tn::Concat<tn::Residual<ConvBN>, tn::Block<Identity, tn::ReLU>>;
// Names (state_dict only) on layers and on paths change nothing of the computation.
using Named = tn::Block<
    tn::Inline<tn::Residual<tn::Inline<ConvBN>, tn::Named<"downsample", tn::Block<tn::Identity>>>>,
    tn::Named<"relu", tn::ReLU>>;

// 16 x 16 at a batch of 32: the convolutions split their work over two threads.
template <class Topology>
using Around = tn::Sequential<tn::Input<3, 16, 16>, tn::Conv2D<4, tn::Kernel<1>>, Topology,
                              tn::GlobalAvgPool, tn::Dense<3>>;
constexpr std::size_t batch = 32;

}  // namespace

TEST_CASE("Block, Residual, Concat and CropConcat allocate nothing after the first step",
          "[allocation]") {
  allocation::require_no_allocation<Around<ConvBN>>(batch);
  allocation::require_no_allocation<Around<Identity>>(batch);
  allocation::require_no_allocation<Around<Projection>>(batch);
  allocation::require_no_allocation<Around<Inception>>(batch);
  allocation::require_no_allocation<Around<Dense>>(batch);
  allocation::require_no_allocation<Around<Skip>>(batch);
  allocation::require_no_allocation<Around<Nested>>(batch);
  allocation::require_no_allocation<Around<tn::Named<"block", Named>>>(batch);
}

namespace {
// Two heads of the same shape share MultiTask's per-thread buffers; a third differs.
using ThreeHeads = tn::Sequential<
    tn::Input<3, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU, tn::Flatten,
    tn::Heads<tn::Head<tn::Dense<3>, tn::loss::SoftmaxCrossEntropy>,
              tn::Head<tn::Dense<3>, tn::loss::MSE>,
              tn::Head<tn::Block<tn::Dense<5>, tn::Tanh, tn::Dense<2>>, tn::loss::L1>>>;
}  // namespace

TEST_CASE("A multi-task step (Heads, MultiTask) allocates nothing after the first",
          "[allocation][heads]") {
  constexpr std::size_t batch = 8;
  tn::Model<ThreeHeads> model{tn::init::He{}, 1, batch};
  tn::optim::SGD sgd{{.momentum = 0.9}};
  tn::Tensor<float, tn::Shape<3, 8, 8>> x(batch);
  allocation::randomise(x, 3);
  const std::vector<int> classes{0, 1, 2, 0, 1, 2, 0, 1};
  tn::Tensor<float, tn::Shape<3>> targets(batch);
  tn::Tensor<float, tn::Shape<2>> boxes(batch);
  const auto labels = std::tuple{std::span<const int>(classes), targets, boxes};
  const tn::loss::MultiTask<ThreeHeads> loss{1.0, 0.5, 0.25};
  for (std::size_t threads : {std::size_t{1}, tn::max_threads()}) {
    tn::set_threads(threads);
    model.train_step(x, labels, loss, sgd, 1e-2, 0);
    const long during = allocation::guarded([&] {
      for (int step = 1; step <= allocation::counted_steps; ++step)
        model.train_step(x, labels, loss, sgd, 1e-2, std::size_t(step));
    });
    INFO("threads " << threads);
    CHECK(during == 0);
  }
}
