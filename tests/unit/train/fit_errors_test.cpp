// fit and evaluate on bad input: every error comes before the update it would spoil, names the
// epoch, step or dataset row, and leaves the weights and the finished epochs' history intact.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <typenet/typenet.hpp>

namespace tn = typenet;

namespace {

using Small = tn::Sequential<tn::Input<1, 4, 4>, tn::Flatten, tn::Dense<8>, tn::Tanh, tn::Dense<3>>;
using Normed = tn::Sequential<tn::Input<1, 4, 4>, tn::Flatten, tn::Dense<8>, tn::BatchNorm,
                              tn::ReLU, tn::Dense<3>>;

// Class = which column of the 4x4 image is brightest (columns 0 to classes - 1).
tn::data::Dataset columns(std::size_t count, std::size_t classes = 3, std::uint64_t seed = 5) {
  tn::data::Dataset d;
  d.channels = 1;
  d.height = d.width = 4;
  d.classes = classes;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  for (std::size_t i = 0; i < count; ++i) {
    const int label = int(rng() % classes);
    for (std::size_t k = 0; k < 16; ++k)
      d.images.push_back(u(rng) + (k % 4 == std::size_t(label) ? 1.0f : 0.0f));
    d.labels.push_back(label);
  }
  return d;
}

template <class Net, class T>
std::vector<double> weights(tn::Model<Net, T>& model) {
  std::vector<double> all;
  for (auto* p : model.all_parameters())
    for (std::size_t i = 0; i < p->size(); ++i) all.push_back(double(p->value[i]));
  return all;
}

// Doubles the rate each epoch, and is NaN from epoch `bad` (counted from 0) on.
struct BreaksAt {
  std::size_t bad;
  double factor(std::size_t t, std::size_t) const {
    return t >= bad ? std::nan("") : std::ldexp(1.0, int(t));
  }
};

}  // namespace

TEST_CASE("A schedule's NaN rate stops fit before the update, the finished epochs survive",
          "[training][fit-errors]") {
  tn::Model<Small> model{tn::init::XavierUniform{}, 3, 32};
  tn::optim::SGD sgd{{.lr = 0.05, .momentum = 0.9}};
  std::vector<double> after_epoch_2;
  const auto record = [&](const tn::EpochRecord& r) {
    if (r.epoch == 2) after_epoch_2 = weights(model);
  };
  try {
    tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, columns(40),
            {.epochs = 5, .batch = 16, .schedule = BreaksAt{2}, .quiet = true, .on_epoch = record});
    FAIL("fit returned with a NaN learning rate");
  } catch (const tn::FitError& e) {
    CHECK(std::string(e.what()) ==
          "fit: epoch 3, step 1 of 3: the schedule gives the learning rate nan (it must be finite "
          "and >= 0)");
    CHECK(e.epoch == 3);
    CHECK(e.step == 1);
    REQUIRE(e.history.epochs.size() == 2);
    CHECK(e.history.epochs[1].learning_rate == Approx(0.1));
  }
  CHECK(weights(model) == after_epoch_2);
}

TEST_CASE("A loss that explodes mid-epoch: FitError with epoch, step, cause and the history",
          "[training][fit-errors]") {
  using Exploding = tn::Sequential<tn::Input<1, 4, 4>, tn::Flatten, tn::Dense<8>, tn::Dense<3>>;
  tn::Model<Exploding> model{tn::init::XavierUniform{}, 8, 32};
  // A sane first epoch, then a rate that overflows the logits within a few steps.
  struct Jump {
    double factor(std::size_t t, std::size_t) const { return t == 0 ? 1 : 1e22; }
  };
  tn::optim::SGD sgd{{.lr = 0.01}};
  try {
    tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, columns(64),
            {.epochs = 3, .batch = 16, .schedule = Jump{}, .quiet = true});
    FAIL("fit returned although the loss overflowed");
  } catch (const tn::FitError& e) {
    INFO(e.what());
    CHECK(e.epoch == 2);
    CHECK(e.step >= 1);
    CHECK(e.step <= 4);
    CHECK_THAT(e.what(), Catch::StartsWith("fit: epoch 2, step ") && Catch::Contains(" of 4: ") &&
                             Catch::Contains("learning rate too high"));
    CHECK(e.history.epochs.size() == 1);
    CHECK(std::isfinite(e.history.epochs[0].train_loss));
  }
  for (double w : weights(model)) REQUIRE(std::isfinite(w));
}

TEST_CASE("A partial last batch of 1 into BatchNorm: the error names epoch and step, and drop_last",
          "[training][fit-errors]") {
  tn::optim::SGD sgd{{.lr = 0.01}};
  const auto data = columns(33);  // 16 + 16 + 1
  {
    tn::Model<Normed> model{tn::init::He{}, 1, 16};
    REQUIRE_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data,
                                {.epochs = 2, .batch = 16, .quiet = true}),
                        Catch::StartsWith("fit: epoch 1, step 3 of 3: BatchNorm: training needs "
                                          "more than one value per channel (batch 1"));
  }
  tn::Model<Normed> model{tn::init::He{}, 1, 16};
  std::size_t seen = 0;
  const auto history = tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data,
                               {.epochs = 2,
                                .batch = 16,
                                .drop_last = true,
                                .augment = [&](std::span<float>, std::mt19937_64&) { ++seen; },
                                .quiet = true});
  CHECK(history.epochs.size() == 2);
  CHECK(seen == 2 * 32);
  REQUIRE_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, columns(10),
                              {.batch = 16, .drop_last = true, .quiet = true}),
                      "fit: drop_last with batch 16 leaves no step for a training set of 10 "
                      "samples");
}

TEST_CASE("The augmentation runs for a double model too", "[training][fit-errors]") {
  // Augmentation that blanks every image: the first Dense then gets no gradient and keeps its
  // weights exactly, in float and in double; without it they move.
  const auto blank = [](std::span<float> image, std::mt19937_64&) {
    std::fill(image.begin(), image.end(), 0.0f);
  };
  const auto first_dense = [](auto& model) {
    const auto* p = model.all_parameters()[0];
    return std::vector<double>(p->value.data(), p->value.data() + p->size());
  };
  const auto run = [&](auto& model, bool augment) {
    tn::optim::SGD sgd{{.lr = 0.1}};
    const auto before = first_dense(model);
    tn::FitOptions options{.epochs = 1, .batch = 8, .quiet = true};
    if (augment) options.augment = blank;
    tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, columns(32), options);
    return first_dense(model) == before;
  };
  tn::Model<Small, double> augmented{tn::init::XavierUniform{}, 2, 8};
  tn::Model<Small, double> plain{tn::init::XavierUniform{}, 2, 8};
  tn::Model<Small, float> single{tn::init::XavierUniform{}, 2, 8};
  CHECK(run(augmented, true));
  CHECK_FALSE(run(plain, false));
  CHECK(run(single, true));
}

TEST_CASE("Empty, NaN and infinite validation and test sets are errors, not loss 0 or nan",
          "[training][fit-errors]") {
  tn::Model<Small> model{tn::init::XavierUniform{}, 3, 32};
  tn::optim::SGD sgd;
  const auto train = columns(32);
  auto empty = columns(0);
  REQUIRE_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, train,
                              {.epochs = 1, .validation = empty, .quiet = true}),
                      "fit (validation set): the dataset is empty");
  REQUIRE_THROWS_WITH(tn::evaluate(model, empty), "evaluate: the dataset is empty");
  REQUIRE_THROWS_WITH(
      tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, empty, {.epochs = 1, .quiet = true}),
      "fit (training set): the dataset is empty");
  auto nan = columns(8);
  nan.images[5 * 16 + 2] = std::numeric_limits<float>::quiet_NaN();
  REQUIRE_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, train,
                              {.epochs = 1, .validation = nan, .quiet = true}),
                      "fit (validation set): sample 5 holds NaN (value 2 of the sample)");
  auto inf = columns(8);
  inf.images[7 * 16 + 15] = -std::numeric_limits<float>::infinity();
  REQUIRE_THROWS_WITH(tn::evaluate(model, inf),
                      "evaluate: sample 7 holds infinity (value 15 of the sample)");
}

TEST_CASE(
    "The class count is checked against the outputs before any update, bad labels are "
    "named by dataset row",
    "[training][fit-errors]") {
  tn::Model<Small> model{tn::init::XavierUniform{}, 3, 32};
  const auto before = weights(model);
  tn::optim::SGD sgd;
  const auto fit = [&](const tn::data::Dataset& data) {
    tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data,
            {.epochs = 1, .batch = 8, .quiet = true});
  };
  // Small has 3 outputs: four classes do not fit; nor does a set claiming none.
  REQUIRE_THROWS_WITH(fit(columns(20, 4)),
                      "fit (training set): the dataset has 4 classes but the "
                      "network has 3 outputs (one per class; fewer classes "
                      "than outputs is fine)");
  auto none = columns(20);
  none.classes = 0;
  REQUIRE_THROWS_WITH(fit(none), "fit (training set): 0 classes (a dataset needs at least one)");
  auto bad = columns(20);
  bad.labels[13] = 7;
  REQUIRE_THROWS_WITH(fit(bad), "fit (training set): label 7 of row 13 is not in [0, 3)");
  bad.labels[13] = -1;
  REQUIRE_THROWS_WITH(tn::evaluate(model, bad), "evaluate: label -1 of row 13 is not in [0, 3)");
  CHECK(weights(model) == before);
  // Fewer classes than outputs trains.
  CHECK_NOTHROW(fit(columns(20, 2)));
}

TEST_CASE("A dataset whose arrays disagree is refused before it is read",
          "[training][fit-errors]") {
  tn::Model<Small> model{tn::init::XavierUniform{}, 3, 32};
  tn::optim::SGD sgd;
  auto short_images = columns(20);
  short_images.images.resize(19 * 16 + 3);
  REQUIRE_THROWS_WITH(
      tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, short_images, {.quiet = true}),
      "fit (training set): 307 values for 20 samples of 1x4x4 (images must hold size() * "
      "sample_size() values)");
  auto long_images = columns(4);
  long_images.images.push_back(0);
  REQUIRE_THROWS_WITH(tn::evaluate(model, long_images),
                      "evaluate: 65 values for 4 samples of 1x4x4 (images must hold size() * "
                      "sample_size() values)");
}

TEST_CASE("train_step on an empty batch or a NaN input says what happened",
          "[training][fit-errors]") {
  tn::Model<Small> model{tn::init::XavierUniform{}, 3, 8};
  tn::optim::SGD sgd;
  tn::Tensor<float, tn::Shape<1, 4, 4>> x(8);
  x.set_batch(0);
  std::vector<int> labels;
  REQUIRE_THROWS_WITH(
      model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1),
      "train_step: the batch is empty (0 samples); a step needs at least one "
      "sample");
  x.set_batch(2);
  for (auto& v : x.span()) v = 0.5f;
  x.sample(1)[3] = std::numeric_limits<float>::quiet_NaN();
  labels = {0, 1};
  REQUIRE_THROWS_WITH(model.train_step(x, std::span<const int>(labels),
                                       tn::loss::SoftmaxCrossEntropy{}, sgd, 0.1, 41),
                      Catch::StartsWith("step 41: the loss is nan; the input batch already holds "
                                        "NaN or infinity"));
}
