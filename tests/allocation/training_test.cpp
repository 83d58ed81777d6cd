// "No step allocates after the first", for every loss, optimiser and penalty, and for fit's
// per-step path (gathering a batch, augmentation, progress): fit may allocate per epoch, never per
// step, so fits that differ only in their number of steps allocate alike.
#include <random>
#include <span>
#include <sstream>
#include <vector>

#include "steps.hpp"

namespace tn = typenet;

namespace {
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU,
                           tn::MaxPool2D<tn::Kernel<2>>, tn::Flatten, tn::Dense<3>>;
}  // namespace

TEST_CASE("Every loss allocates nothing after the first step", "[allocation][loss]") {
  namespace loss = tn::loss;
  allocation::require_no_allocation<Net>(4, loss::SoftmaxCrossEntropy{});
  allocation::require_no_allocation<Net>(4, loss::NLL{});
  allocation::require_no_allocation<Net>(4, loss::Hinge{});
  allocation::require_no_allocation<Net>(4, loss::MSE{});
  allocation::require_no_allocation<Net>(4, loss::L1{});
  allocation::require_no_allocation<
      tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<3>, tn::Sigmoid>>(
      4, loss::BinaryCrossEntropy{});
  allocation::require_no_allocation<Net>(4, loss::BinaryCrossEntropyWithLogits{});
}

TEST_CASE("Per-pixel losses on class masks allocate nothing after the first step",
          "[allocation][loss][segmentation]") {
  using Segmenter = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>>;
  allocation::require_no_allocation<Segmenter>(4, tn::loss::Dice{});  // a float target
  tn::Model<Segmenter> model{tn::init::He{}, 1, 4};
  tn::Tensor<float, Segmenter::input_type> x(4);
  allocation::randomise(x, 3);
  std::vector<int> classes(4 * 64);
  for (std::size_t i = 0; i < classes.size(); ++i) classes[i] = int(i % 3);
  classes[5] = -100;  // ignored
  const tn::ClassMask<8, 8> masks{classes};
  tn::optim::Adam adam;
  const tn::loss::SoftmaxCrossEntropy weighted{.weight = {0.5, 1.0, 2.0}};
  std::vector<int> dice_classes = classes;
  dice_classes[5] = 0;
  const tn::ClassMask<8, 8> dice_masks{dice_classes};
  const auto steps = [&] {
    model.train_step(x, masks, weighted, adam, 1e-3);
    model.train_step(x, dice_masks, tn::loss::Dice{}, adam, 1e-3);
  };
  steps();
  CHECK(allocation::guarded(steps) == 0);
}

TEST_CASE("Every optimiser and penalty allocates nothing after the first step",
          "[allocation][optim]") {
  using CE = tn::loss::SoftmaxCrossEntropy;
  namespace optim = tn::optim;
  allocation::require_no_allocation<Net>(4, CE{}, optim::SGD{});
  allocation::require_no_allocation<Net>(4, CE{}, optim::SGD{{.momentum = 0.9, .nesterov = true}});
  allocation::require_no_allocation<Net>(4, CE{}, optim::AdaGrad{});
  allocation::require_no_allocation<Net>(4, CE{}, optim::RMSProp{});
  allocation::require_no_allocation<Net>(4, CE{}, optim::Adam{{.weight_decay = 1e-4}});
  allocation::require_no_allocation<Net>(4, CE{}, optim::AdamW{});
  const tn::reg::ElasticNet l1 = tn::reg::detail::as_elastic(tn::reg::L1{1e-3});
  const tn::reg::ElasticNet l2 = tn::reg::detail::as_elastic(tn::reg::L2{1e-3});
  const tn::reg::ElasticNet elastic{1e-4, 1e-4};
  for (const auto* penalty : {&l1, &l2, &elastic})
    allocation::require_no_allocation<Net>(4, CE{}, optim::SGD{{.momentum = 0.9}}, penalty);
}

namespace {
// A Fashion-MNIST-like dataset of `count` random 8x8 images in 3 classes.
tn::data::Dataset random_images(std::size_t count) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<float> u(0, 1);
  std::vector<float> images(count * 64);
  for (auto& v : images) v = u(rng);
  std::vector<int> labels(count);
  for (std::size_t i = 0; i < count; ++i) labels[i] = int(i % 3);
  return tn::data::Dataset::from_arrays(std::move(images), std::move(labels), 1, 8, 8, 3);
}

// Allocations of a whole fit over `count` images in batches of 8, 2 epochs, with validation,
// augmentation, a schedule, a penalty and progress into a pipe-like stream.
long fit_allocations(std::size_t count) {
  const auto train = random_images(count);
  const auto validation = random_images(16);
  tn::Model<Net> model{tn::init::He{}, 1, 8};
  tn::optim::SGD sgd{{.lr = 0.01, .momentum = 0.9}};
  std::ostringstream progress;
  progress.str(std::string(1 << 16, ' '));  // room for the progress lines: no growth in a step
  namespace aug = tn::data::augment;
  const tn::FitOptions options{
      .epochs = 2,
      .batch = 8,
      .validation = validation,
      .schedule = tn::schedule::Cosine{},
      .regularization = tn::reg::ElasticNet{0, 1e-4},
      .augment =
          aug::chain(aug::HorizontalFlip{0.5, 1, 8, 8}, aug::GaussianNoise{0.01},
                     aug::RandomAffine{.height = 8, .width = 8, .shear_x = 10, .translate_x = 0.1},
                     aug::RandomResizedCrop{.height = 8, .width = 8}, aug::LensDistortion{8, 8},
                     aug::ColorJitter{}, aug::Cutout{8, 8, 3}),
      .progress = &progress};
  return allocation::during(
      [&] { tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, train, options); });
}
}  // namespace

TEST_CASE("fit allocates per epoch, not per step", "[allocation][fit]") {
  tn::set_threads(1);
  fit_allocations(64);  // the first fit grows the thread's scratch and packing buffers
  const long few = fit_allocations(64);   // 8 steps per epoch
  const long many = fit_allocations(96);  // 12 steps per epoch
  tn::set_threads(tn::max_threads());
  INFO("fit with 8 steps per epoch: " << few << " allocations, with 12: " << many);
  CHECK(many == few);
}

TEST_CASE("The allocation counter counts", "[allocation]") {
  // A vector allocates, and so does Eigen's malloc; the counter sees both doors.
  const long by_new = allocation::during([] { std::vector<int> v(100); });
  const long by_malloc = allocation::during([] {
    void* p = Eigen::internal::aligned_malloc(256);
    Eigen::internal::aligned_free(p);
  });
  CHECK(by_new > 0);
  CHECK(by_malloc > 0);
}

// The passes split over the threads once they reach expr::parallel_elements (element-wise
// evaluation, batch norm's channel sums, pooling, LRN, the optimisers' updates) take the same
// allocation-free path as the convolutions: a network whose activations and weight are past it.
TEST_CASE("Passes large enough to be split over the threads allocate nothing after the first step",
          "[allocation][threads]") {
  constexpr std::size_t batch = 16;
  using Large = tn::Sequential<tn::Input<8, 32, 32>, tn::Conv2D<16, tn::Kernel<3>, tn::Pad<1>>,
                               tn::BatchNorm, tn::ReLU, tn::LocalResponseNorm<>,
                               tn::MaxPool2D<tn::Kernel<2>>, tn::Flatten, tn::Dense<64>>;
  static_assert(batch * tn::Shape<16, 32, 32>::size >= tn::expr::parallel_elements);
  static_assert(std::size_t{16 * 16 * 16} * 64 >= tn::expr::parallel_elements);  // Dense's weight
  allocation::require_no_allocation<Large>(batch, tn::loss::SoftmaxCrossEntropy{},
                                           tn::optim::Adam{});
  allocation::require_no_allocation<Large>(batch, tn::loss::SoftmaxCrossEntropy{},
                                           tn::optim::SGD{{.momentum = 0.9}});
}
