// fit and evaluate compare a dataset's sample shape with the network's input shape in full, not
// only its size: a same-sized sample of another layout would otherwise train on scrambled values.
#include <catch2/catch.hpp>
#include <random>
#include <stdexcept>
#include <typenet/typenet.hpp>
#include <vector>
#include "flat_weights.hpp"

namespace tn = typenet;

namespace {

// `count` samples of channels x height x width uniform values, labels alternating 0, 1.
tn::data::Dataset random_set(std::size_t count, std::size_t channels, std::size_t height,
                             std::size_t width) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> values(count * channels * height * width);
  for (auto& v : values) v = u(rng);
  std::vector<int> labels(count);
  for (std::size_t i = 0; i < count; ++i) labels[i] = int(i % 2);
  return tn::data::Dataset::from_arrays(std::move(values), std::move(labels), channels, height,
                                        width, 2);
}

using train_test::weights;

}  // namespace

TEST_CASE("A transposed sequence dataset is refused before training", "[training][shape]") {
  // Issue 15: 3 steps of 12 features for a network of 12 steps of 3 trained silently.
  using Net = tn::Sequential<tn::Input<12, 3>, tn::GRU<4>, tn::Dense<2>>;
  tn::Model<Net> model{tn::init::XavierUniform{}, 1, 8};
  tn::optim::SGD sgd;
  const auto before = weights(model);
  const auto fit = [&](const tn::data::Dataset& data) {
    return tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data,
                   {.epochs = 1, .batch = 8, .quiet = true});
  };
  REQUIRE_THROWS_AS(fit(random_set(8, 1, 3, 12)), std::invalid_argument);
  REQUIRE_THROWS_WITH(fit(random_set(8, 1, 3, 12)),
                      "fit (training set): the dataset's samples are 1x3x12 but the network takes "
                      "12x3 (samples of 1x12x3: 12 steps of 3 features); the same 36 values in "
                      "another layout: give the dataset the network's shape if its values are in "
                      "that order, else transpose them");
  // The steps as channels, and a flat vector of the same 36 values: refused too.
  REQUIRE_THROWS_WITH(fit(random_set(8, 12, 1, 3)),
                      Catch::StartsWith("fit (training set): the dataset's samples are 12x1x3 but "
                                        "the network takes 12x3"));
  REQUIRE_THROWS_WITH(fit(random_set(8, 1, 1, 36)),
                      Catch::Contains("samples are 1x1x36 but the network takes 12x3"));
  CHECK(weights(model) == before);
  // The validation set is checked as well, and the right shape trains.
  const auto right = random_set(8, 1, 12, 3), transposed = random_set(8, 1, 3, 12);
  REQUIRE_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, right,
                              {.epochs = 1, .batch = 8, .validation = transposed, .quiet = true}),
                      Catch::StartsWith("fit (validation set): the dataset's samples are 1x3x12"));
  REQUIRE_NOTHROW(fit(right));
  CHECK(weights(model) != before);
}

TEST_CASE("An image dataset with channels and height swapped is refused", "[training][shape]") {
  using Net = tn::Sequential<tn::Input<2, 3, 4>, tn::Flatten, tn::Dense<2>>;
  tn::Model<Net> model{tn::init::XavierUniform{}, 1, 8};
  REQUIRE_THROWS_WITH(tn::evaluate(model, random_set(8, 3, 2, 4)),
                      "evaluate: the dataset's samples are 3x2x4 but the network takes 2x3x4 "
                      "(samples of 2x3x4); the same 24 values in another layout: give the dataset "
                      "the network's shape if its values are in that order, else transpose them");
  // Another size still points at padding.
  REQUIRE_THROWS_WITH(tn::evaluate(model, random_set(8, 2, 5, 6)),
                      "evaluate: the dataset's samples are 2x5x6 but the network takes 2x3x4 "
                      "(samples of 2x3x4); tn::data::pad adds a border");
  REQUIRE_NOTHROW(tn::evaluate(model, random_set(8, 2, 3, 4)));
}

TEST_CASE("A vector input takes any sample of its size", "[training][shape]") {
  // A Flatten-first network reads a C x H x W image's values in order: every layout of 24
  // values is the same vector, so none is refused; 25 values are.
  using Net = tn::Sequential<tn::Input<24>, tn::Dense<2>>;
  tn::Model<Net> model{tn::init::XavierUniform{}, 1, 8};
  REQUIRE_NOTHROW(tn::evaluate(model, random_set(8, 1, 1, 24)));
  REQUIRE_NOTHROW(tn::evaluate(model, random_set(8, 2, 3, 4)));
  REQUIRE_THROWS_WITH(tn::evaluate(model, random_set(8, 1, 5, 5)),
                      "evaluate: the dataset's samples are 1x5x5 but the network takes 24 "
                      "(samples of 24 values (C*H*W, any C x H x W))");
}
