// Per-pixel losses: PyTorch's values and gradients on fixed cases (segmentation_reference.py),
// float64 gradient checks, and the run-time errors of bad masks.
#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>
#include <span>
#include <vector>

#include "../gradcheck.hpp"
#include "segmentation_reference.hpp"

namespace tn = typenet;
namespace ref = segmentation_reference;
using tn::Shape;

namespace {

template <class T, class S, std::size_t N>
void load(tn::Tensor<T, S>& t, const double (&values)[N]) {
  REQUIRE(t.size() == N);
  std::copy(std::begin(values), std::end(values), t.data());
}

template <class S, std::size_t N>
void require_gradient(const tn::Tensor<double, S>& gradient, const double (&expected)[N]) {
  REQUIRE(gradient.size() == N);
  for (std::size_t i = 0; i < N; ++i) {
    INFO("gradient element " << i);
    CHECK(gradient[i] == Approx(expected[i]).epsilon(1e-12).margin(1e-15));
  }
}

// Central differences of the loss against its gradient.
template <class Loss, class S, class Labels>
gradcheck::Worst check_loss(const Loss& loss, tn::Tensor<double, S>& y, const Labels& labels) {
  tn::Tensor<double, S> dy(y.batch());
  tn::loss::compute(loss, y, labels, &dy);
  gradcheck::Worst worst;
  gradcheck::compare(
      worst, y.data(), dy.data(), y.size(), [&] { return tn::loss::compute(loss, y, labels); },
      "y");
  return worst;
}

using Scores = tn::Tensor<double, Shape<3, 2, 3>>;
using Mask = tn::ClassMask<2, 3>;

}  // namespace

TEST_CASE("Per-pixel softmax cross-entropy equals PyTorch's cross_entropy on N x C x H x W",
          "[loss][segmentation]") {
  Scores z(2), dz(2);
  load(z, ref::pixel_logits);
  const tn::loss::SoftmaxCrossEntropy plain;
  const tn::loss::SoftmaxCrossEntropy weighted{.weight = {0.2, 1.0, 2.5}};
  SECTION("plain") {
    CHECK(tn::loss::compute(plain, z, Mask{ref::pixel_target}, &dz) ==
          Approx(ref::pixel_ce).epsilon(1e-12));
    require_gradient(dz, ref::pixel_ce_grad);
  }
  SECTION("per-class weights: the mean divides by the labels' summed weights") {
    CHECK(tn::loss::compute(weighted, z, Mask{ref::pixel_target}, &dz) ==
          Approx(ref::pixel_ce_weighted).epsilon(1e-12));
    require_gradient(dz, ref::pixel_ce_weighted_grad);
  }
  SECTION("ignore_index -100 (PyTorch's default): those pixels count for nothing") {
    CHECK(tn::loss::compute(plain, z, Mask{ref::pixel_target_ignored}, &dz) ==
          Approx(ref::pixel_ce_ignored).epsilon(1e-12));
    require_gradient(dz, ref::pixel_ce_ignored_grad);
    CHECK(tn::loss::compute(weighted, z, Mask{ref::pixel_target_ignored}, &dz) ==
          Approx(ref::pixel_ce_weighted_ignored).epsilon(1e-12));
    require_gradient(dz, ref::pixel_ce_weighted_ignored_grad);
  }
  SECTION("another ignore_index (255, as PASCAL VOC's border)") {
    const tn::loss::SoftmaxCrossEntropy voc{.weight = {0.2, 1.0, 2.5}, .ignore_index = 255};
    CHECK(tn::loss::compute(voc, z, Mask{ref::pixel_target_ignored_255}, &dz) ==
          Approx(ref::pixel_ce_ignore_255).epsilon(1e-12));
    require_gradient(dz, ref::pixel_ce_ignore_255_grad);
  }
  SECTION("float64 gradient checks, with weights and ignored pixels") {
    GRADCHECK_REQUIRE(check_loss(plain, z, Mask{ref::pixel_target}));
    GRADCHECK_REQUIRE(check_loss(weighted, z, Mask{ref::pixel_target_ignored}));
  }
}

TEST_CASE("Class weights and ignore_index serve one class per sample too (PyTorch's values)",
          "[loss][segmentation]") {
  tn::Tensor<double, Shape<5>> z(4), dz(4);
  load(z, ref::sample_scores);
  const tn::loss::SoftmaxCrossEntropy loss{.weight = {1.0, 0.5, 2.0, 3.0, 0.25}};
  const std::span<const int> labels(ref::sample_labels);
  CHECK(tn::loss::compute(loss, z, labels, &dz) ==
        Approx(ref::sample_ce_weighted_ignored).epsilon(1e-12));
  require_gradient(dz, ref::sample_ce_weighted_ignored_grad);
  GRADCHECK_REQUIRE(check_loss(loss, z, labels));
}

TEST_CASE("BCE with logits serves a 1 x H x W mask (PyTorch's values)", "[loss][segmentation]") {
  tn::Tensor<double, Shape<1, 3, 3>> z(2), mask(2), dz(2);
  load(z, ref::mask_logits);
  load(mask, ref::mask_target);
  CHECK(tn::loss::compute(tn::loss::BinaryCrossEntropyWithLogits{}, z, mask, &dz) ==
        Approx(ref::mask_bce).epsilon(1e-12));
  require_gradient(dz, ref::mask_bce_grad);
}

TEST_CASE("Soft Dice loss, multi-class and binary, equals the formula in PyTorch",
          "[loss][segmentation]") {
  const tn::loss::Dice dice{.smooth = ref::dice_smooth};
  SECTION("multi-class: softmax over channels against the one-hot mask") {
    Scores z(2), dz(2);
    load(z, ref::pixel_logits);
    CHECK(tn::loss::compute(dice, z, Mask{ref::pixel_target}, &dz) ==
          Approx(ref::pixel_dice).epsilon(1e-12));
    require_gradient(dz, ref::pixel_dice_grad);
    GRADCHECK_REQUIRE(check_loss(dice, z, Mask{ref::pixel_target}));
    GRADCHECK_REQUIRE(check_loss(tn::loss::Dice{.smooth = 1}, z, Mask{ref::pixel_target}));
  }
  SECTION("binary: sigmoid of a 1 x H x W logit map against the mask") {
    tn::Tensor<double, Shape<1, 3, 3>> z(2), mask(2), dz(2);
    load(z, ref::mask_logits);
    load(mask, ref::mask_target);
    CHECK(tn::loss::compute(dice, z, mask, &dz) == Approx(ref::mask_dice).epsilon(1e-12));
    require_gradient(dz, ref::mask_dice_grad);
    GRADCHECK_REQUIRE(check_loss(dice, z, mask));
  }
  SECTION("a perfect prediction has a loss near 0, the inverse one near 1") {
    tn::Tensor<double, Shape<2, 1, 4>> z(1);
    const std::array<int, 4> classes{0, 1, 1, 0};
    for (std::size_t p = 0; p < 4; ++p) {
      z(0, classes[p], 0, p) = 40;
      z(0, 1 - classes[p], 0, p) = -40;
    }
    CHECK(tn::loss::compute(dice, z, tn::ClassMask<1, 4>{classes}) == Approx(0).margin(1e-9));
    const std::array<int, 4> inverse{1, 0, 0, 1};
    CHECK(tn::loss::compute(dice, z, tn::ClassMask<1, 4>{inverse}) == Approx(1).margin(1e-9));
  }
}

TEST_CASE("Binary Dice refuses targets outside [0, 1], naming the pixel", "[loss][segmentation]") {
  // -100 (an augmentation's mask_fill) made the loss negative; 255 (a VOC border) and NaN too.
  tn::Tensor<double, Shape<1, 2, 3>> z(2), target(2);
  for (std::size_t i = 0; i < target.size(); ++i) target[i] = double(i % 2);
  target[7] = 0.25;  // a probability is a target too
  CHECK(tn::loss::compute(tn::loss::Dice{}, z, target) > 0);
  for (const double bad : {-100.0, 255.0, 1.5, std::nan("")}) {
    INFO(bad);
    auto wrong = target;
    wrong[10] = bad;  // sample 1, pixel (1, 1)
    REQUIRE_THROWS_WITH(tn::loss::compute(tn::loss::Dice{}, z, wrong),
                        Catch::Contains("of sample 1, pixel (1, 1) is not in [0, 1]"));
  }
}

TEST_CASE("Bad masks are reported with the sample and the pixel", "[loss][segmentation]") {
  Scores z(2);
  std::vector<int> classes(2 * 2 * 3, 0);
  classes[9] = 3;  // sample 1, pixel (1, 0)
  const tn::loss::SoftmaxCrossEntropy ce;
  REQUIRE_THROWS_WITH(tn::loss::compute(ce, z, Mask{classes}),
                      Catch::Contains("label 3 of sample 1, pixel (1, 0) is not a class index in "
                                      "[0, 3) (nor ignore_index, -100)"));
  REQUIRE_THROWS_WITH(tn::loss::compute(tn::loss::Dice{}, z, Mask{classes}),
                      Catch::Contains("Dice: label 3 of sample 1, pixel (1, 0)"));
  classes.pop_back();
  REQUIRE_THROWS_WITH(tn::loss::compute(ce, z, Mask{classes}),
                      Catch::Contains("a ClassMask<2, 3> of 11 classes for a batch of 2 (12 "
                                      "pixels)"));
  std::vector<int> ignored(12, -100);
  REQUIRE_THROWS_WITH(tn::loss::compute(ce, z, Mask{ignored}),
                      Catch::Contains("every label of the batch is ignore_index (-100)"));
  const std::vector<int> zeros(12, 0);
  REQUIRE_THROWS_WITH(
      tn::loss::compute(tn::loss::SoftmaxCrossEntropy{.weight = {0, 1, 1}}, z, Mask{zeros}),
      Catch::Contains("class weights of the batch's labels sum to 0"));
  REQUIRE_THROWS_WITH(
      tn::loss::compute(tn::loss::SoftmaxCrossEntropy{.weight = {1, 1}}, z, Mask{zeros}),
      Catch::Contains("2 class weights for 3 classes"));
  REQUIRE_THROWS_WITH(
      tn::loss::compute(tn::loss::SoftmaxCrossEntropy{.weight = {1, -1, 1}}, z, Mask{zeros}),
      Catch::Contains("the weight of class 1 is -1"));
}
