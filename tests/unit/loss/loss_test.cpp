// Losses: gradients against finite differences (double), stability, bad labels.
#include <array>
#include <limits>

#include "../gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

namespace {

// Central differences of loss(prediction) against the gradient the loss returns.
template <class Loss, class S, class Labels>
gradcheck::Worst check_loss(Loss loss, tn::Tensor<double, S>& y, const Labels& labels) {
  tn::Tensor<double, S> dy(y.batch());
  tn::loss::compute(loss, y, labels, &dy);
  gradcheck::Worst worst;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double saved = y[i];
    y[i] = saved + gradcheck::step;
    const double plus = tn::loss::compute(loss, y, labels);
    y[i] = saved - gradcheck::step;
    const double minus = tn::loss::compute(loss, y, labels);
    y[i] = saved;
    worst.update(dy[i], (plus - minus) / (2 * gradcheck::step), "y[" + std::to_string(i) + "]");
  }
  return worst;
}

}  // namespace

TEST_CASE("Loss gradients against finite differences", "[gradient][loss]") {
  std::mt19937_64 rng(7);
  tn::Tensor<double, Shape<5>> y(4), target(4);
  gradcheck::randomise(y, rng, -2, 2);
  const std::array<int, 4> labels{0, 3, 4, 1};
  const std::span<const int> classes(labels);

  SECTION("MSE and L1") {
    gradcheck::randomise(target, rng, -2, 2);
    GRADCHECK_REQUIRE(check_loss(tn::loss::MSE{}, y, target));
    GRADCHECK_REQUIRE(check_loss(tn::loss::L1{}, y, target));
  }
  SECTION("binary cross-entropy on probabilities and on logits") {
    gradcheck::randomise(target, rng, 0, 1);
    GRADCHECK_REQUIRE(check_loss(tn::loss::BinaryCrossEntropyWithLogits{}, y, target));
    tn::Tensor<double, Shape<5>> p(4);
    gradcheck::randomise(p, rng, 0.05, 0.95);
    GRADCHECK_REQUIRE(check_loss(tn::loss::BinaryCrossEntropy{}, p, target));
  }
  SECTION("softmax cross-entropy with class labels and with soft targets") {
    GRADCHECK_REQUIRE(check_loss(tn::loss::SoftmaxCrossEntropy{}, y, classes));
    gradcheck::randomise(target, rng, 0, 1);
    GRADCHECK_REQUIRE(check_loss(tn::loss::SoftmaxCrossEntropy{}, y, target));
  }
  SECTION("NLL and hinge") {
    GRADCHECK_REQUIRE(check_loss(tn::loss::NLL{}, y, classes));
    GRADCHECK_REQUIRE(check_loss(tn::loss::Hinge{}, y, classes));
  }
}

TEST_CASE("Image-shaped targets work for the element-wise losses", "[loss]") {
  std::mt19937_64 rng(8);
  tn::Tensor<double, Shape<2, 3, 3>> y(2), target(2);
  gradcheck::randomise(y, rng);
  gradcheck::randomise(target, rng);
  GRADCHECK_REQUIRE(check_loss(tn::loss::MSE{}, y, target));
  GRADCHECK_REQUIRE(check_loss(tn::loss::L1{}, y, target));
}

TEST_CASE("Softmax cross-entropy and BCE with logits are stable at +-1000", "[loss]") {
  tn::Tensor<float, Shape<3>> z(2), dz(2);
  const std::array<int, 2> labels{0, 2};
  // Sample 0: the right class wins by 2000 (loss 0); sample 1: the wrong one wins by 2000.
  z(0, 0) = 1000;
  z(0, 1) = -1000;
  z(0, 2) = 0;
  z(1, 0) = 1000;
  z(1, 1) = 0;
  z(1, 2) = -1000;
  const double loss =
      tn::loss::compute(tn::loss::SoftmaxCrossEntropy{}, z, std::span<const int>(labels), &dz);
  REQUIRE(std::isfinite(loss));
  CHECK(loss == Approx(2000.0 / 2));
  for (auto g : dz.span()) REQUIRE(std::isfinite(g));
  CHECK(dz(1, 0) == Approx(0.5));
  CHECK(dz(1, 2) == Approx(-0.5));

  tn::Tensor<float, Shape<3>> target(2), dbce(2);
  target.fill(1);
  const double bce = tn::loss::compute(tn::loss::BinaryCrossEntropyWithLogits{}, z, target, &dbce);
  REQUIRE(std::isfinite(bce));
  // Only the three logits at -1000 and 0 lose: (1000 + 1000 + 2 log 2) / 6
  CHECK(bce == Approx((2000.0 + 2 * std::log(2.0)) / 6));
  for (auto g : dbce.span()) REQUIRE(std::isfinite(g));
}

TEST_CASE("Class labels out of range are reported with the sample", "[loss]") {
  tn::Tensor<float, Shape<3>> z(2);
  const std::array<int, 2> bad{0, 3};
  REQUIRE_THROWS_WITH(
      tn::loss::compute(tn::loss::SoftmaxCrossEntropy{}, z, std::span<const int>(bad)),
      Catch::Contains("label 3 of sample 1"));
  const std::array<int, 1> short_labels{0};
  REQUIRE_THROWS_WITH(tn::loss::compute(tn::loss::Hinge{}, z, std::span<const int>(short_labels)),
                      Catch::Contains("1 labels for a batch of 2"));
}
