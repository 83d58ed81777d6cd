// Ensembles: the mean of the members' softmax probabilities, on tensors and datasets.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {

using Mlp = tn::Sequential<tn::Input<1, 6, 6>, tn::Flatten, tn::Dense<12>, tn::Tanh, tn::Dense<4>>;
using Cnn = tn::Sequential<tn::Input<1, 6, 6>, tn::Conv2D<3, tn::Kernel<3>>, tn::ReLU, tn::Flatten,
                           tn::Dense<4>>;

tn::data::Dataset noisy_images(std::size_t count, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0, 1);
  std::vector<float> images(count * 36);
  for (auto& v : images) v = 2 * normal(rng);  // large enough for confident, distinct members
  std::vector<int> labels(count);
  for (auto& l : labels) l = int(rng() % 4);
  return tn::data::Dataset::from_arrays(images, labels, 1, 6, 6, 4);
}

// softmax of row n of y, computed here in double, independently of the library.
template <class Output>
std::vector<double> softmax(const Output& y, std::size_t n) {
  std::vector<double> p(4);
  double sum = 0;
  for (std::size_t c = 0; c < 4; ++c) sum += std::exp(double(y(n, c)));
  for (std::size_t c = 0; c < 4; ++c) p[c] = std::exp(double(y(n, c))) / sum;
  return p;
}

tn::Tensor<float, tn::Shape<1, 6, 6>> batch_of(const tn::data::Dataset& data, std::size_t n) {
  tn::Tensor<float, tn::Shape<1, 6, 6>> x(n);
  std::copy(data.images.begin(), data.images.begin() + std::ptrdiff_t(n * 36), x.data());
  return x;
}

}  // namespace

TEST_CASE("An ensemble of one is its member's softmax", "[ensemble]") {
  const auto data = noisy_images(20, 1);
  tn::Model<Mlp> a{tn::init::He{}, 1, 8};
  tn::Ensemble ensemble(a);
  STATIC_REQUIRE(decltype(ensemble)::classes == 4);
  const auto x = batch_of(data, 8);
  const auto p = ensemble.predict(x);
  REQUIRE(p.batch() == 8);
  const auto& y = a.predict(x);
  for (std::size_t n = 0; n < 8; ++n) {
    const auto expected = softmax(y, n);
    for (std::size_t c = 0; c < 4; ++c) CHECK(p(n, c) == Approx(expected[c]).epsilon(1e-12));
  }
}

TEST_CASE("An ensemble of two is the mean of their softmaxes, across architectures", "[ensemble]") {
  const auto data = noisy_images(20, 2);
  tn::Model<Mlp> a{tn::init::He{}, 2, 8};
  tn::Model<Cnn> b{tn::init::He{}, 3, 8};
  tn::Ensemble ensemble(a, b);
  STATIC_REQUIRE(decltype(ensemble)::size() == 2);
  const auto x = batch_of(data, 8);
  const auto p = ensemble.predict(x);
  const auto pa = [&] {
    std::vector<std::vector<double>> rows;
    const auto& y = a.predict(x);
    for (std::size_t n = 0; n < 8; ++n) rows.push_back(softmax(y, n));
    return rows;
  }();
  const auto& yb = b.predict(x);
  double differs = 0;
  for (std::size_t n = 0; n < 8; ++n) {
    const auto pb = softmax(yb, n);
    double total = 0;
    for (std::size_t c = 0; c < 4; ++c) {
      CHECK(p(n, c) == Approx((pa[n][c] + pb[c]) / 2).epsilon(1e-12));
      differs = std::max(differs, std::abs(pa[n][c] - pb[c]));
      total += p(n, c);
    }
    CHECK(total == Approx(1.0).epsilon(1e-12));
  }
  CHECK(differs > 0.01);  // the members disagree, so the mean is not either of them
}

TEST_CASE("Ensemble::predict on a dataset batches by each member's capacity", "[ensemble]") {
  const auto data = noisy_images(21, 3);  // 21 = 2 x 8 + 5 and 3 x 7: partial last batches
  tn::Model<Mlp> a{tn::init::He{}, 4, 8}, b{tn::init::He{}, 5, 7};
  tn::Ensemble ensemble(a, b);
  const auto whole = ensemble.predict(data);
  REQUIRE(whole.batch() == 21);
  const auto x = batch_of(data, 21);
  tn::Model<Mlp> a21{tn::init::He{}, 4, 21}, b21{tn::init::He{}, 5, 21};
  tn::Ensemble at_once(a21, b21);
  const auto direct = at_once.predict(x);
  for (std::size_t i = 0; i < whole.size(); ++i) CHECK(whole[i] == Approx(direct[i]).epsilon(1e-6));
}

TEST_CASE("evaluate on an ensemble of one agrees with evaluate on its model", "[ensemble]") {
  const auto data = noisy_images(50, 4);
  tn::Model<Cnn> a{tn::init::He{}, 6, 16};
  tn::Ensemble ensemble(a);
  const auto single = tn::evaluate(a, data);
  const auto averaged = tn::evaluate(ensemble, data);
  CHECK(averaged.samples == 50);
  CHECK(averaged.accuracy == single.accuracy);
  CHECK(averaged.loss == Approx(single.loss).epsilon(1e-5));
  CHECK(averaged.confusion == single.confusion);
  CHECK(std::isnan(averaged.top5_accuracy));  // 4 classes: no top-5, as evaluate
}

TEST_CASE("Ensemble::predict refuses a dataset that does not fit, naming itself", "[ensemble]") {
  tn::Model<Mlp> a{tn::init::He{}, 7, 8};
  tn::Ensemble ensemble(a);
  const auto wrong =
      tn::data::Dataset::from_arrays(std::vector<float>(2 * 49, 0.f), {0, 1}, 1, 7, 7, 4);
  CHECK_THROWS_WITH(ensemble.predict(wrong),
                    Catch::Contains("Ensemble::predict: the dataset's samples are 1x7x7"));
}
