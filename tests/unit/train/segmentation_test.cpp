// Segmentation metrics (hand-checked confusion matrices), evaluate on a network whose
// predictions are known, and fit on a per-pixel task that a 1x1 convolution can learn.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;
using Catch::Contains;

TEST_CASE("Pixel accuracy, IoU and Dice from a confusion matrix", "[train][segmentation]") {
  // Rows: true class; columns: predicted. Class 2 is in neither: NaN, outside the means.
  const auto e = tn::segmentation_metrics({{5, 1, 0}, {2, 3, 0}, {0, 0, 0}});
  CHECK(e.pixel_accuracy == Approx(8.0 / 11));
  CHECK(e.iou[0] == Approx(5.0 / 8));  // TP 5, FP 2, FN 1
  CHECK(e.iou[1] == Approx(3.0 / 6));  // TP 3, FP 1, FN 2
  CHECK(std::isnan(e.iou[2]));
  CHECK(e.dice[0] == Approx(10.0 / 13));
  CHECK(e.dice[1] == Approx(6.0 / 9));
  CHECK(e.mean_iou == Approx((5.0 / 8 + 0.5) / 2));
  CHECK(e.mean_dice == Approx((10.0 / 13 + 6.0 / 9) / 2));
  // A class predicted but never true counts, with IoU 0.
  const auto f = tn::segmentation_metrics({{2, 2}, {0, 0}});
  CHECK(f.iou[1] == 0);
  CHECK(f.mean_iou == Approx(0.25));
  REQUIRE_THROWS_WITH(tn::segmentation_metrics({{0, 0}, {0, 0}}), Contains("counts no pixel"));
  REQUIRE_THROWS_WITH(tn::segmentation_metrics({{1, 0}, {0}}), Contains("must be square"));
}

namespace {
// Four pixels x = {1, -1, 2, -3}, true classes {0, 1, 1, 1}.
tn::data::SegmentationDataset four_pixels() {
  return tn::data::SegmentationDataset::from_arrays({1, -1, 2, -3}, {0, 1, 1, 1}, 1, 2, 2, 2);
}
double log1p_exp(double v) { return std::log1p(std::exp(v)); }
}  // namespace

TEST_CASE("evaluate on a segmentation model counts every pixel", "[train][segmentation]") {
  SECTION("two class-score maps: scores (x, -x), class 0 where x > 0") {
    using Net = tn::Sequential<tn::Input<1, 2, 2>, tn::Conv2D<2, tn::Kernel<1>>>;
    tn::Model<Net, double> model;
    auto params = model.all_parameters();
    params[0]->value.data()[0] = 1;
    params[0]->value.data()[1] = -1;
    params[1]->value.data()[0] = params[1]->value.data()[1] = 0;
    const auto e = tn::evaluate(model, four_pixels());
    // Predictions {0, 1, 0, 1}.
    CHECK(e.confusion == std::vector<std::vector<std::uint64_t>>{{1, 0}, {1, 2}});
    CHECK(e.pixel_accuracy == Approx(0.75));
    CHECK(e.iou[0] == Approx(0.5));
    CHECK(e.iou[1] == Approx(2.0 / 3));
    // Cross-entropy per pixel: log(1 + e^{-2}), log(1 + e^{-2}), 4 + log(1 + e^{-4})... as
    // lse(s) - s_y with s = (x, -x).
    const double expected = (log1p_exp(-2) + log1p_exp(-2) + 4 + log1p_exp(-4) + log1p_exp(-6)) / 4;
    CHECK(e.loss == Approx(expected));
    std::ostringstream text;
    text << e;
    CHECK_THAT(text.str(), Contains("pixel accuracy 75.00%") && Contains("mean IoU 58.33%"));
  }
  SECTION("one logit map (a binary mask): class 1 where the logit is > 0") {
    using Net = tn::Sequential<tn::Input<1, 2, 2>, tn::Conv2D<1, tn::Kernel<1>>>;
    tn::Model<Net, double> model;
    auto params = model.all_parameters();
    params[0]->value.data()[0] = 1;
    params[1]->value.data()[0] = 0;
    const auto e = tn::evaluate(model, four_pixels());
    // Predictions {1, 0, 1, 0}.
    CHECK(e.confusion == std::vector<std::vector<std::uint64_t>>{{0, 1}, {2, 1}});
    CHECK(e.pixel_accuracy == Approx(0.25));
    // BCE with logits: mean of log(1 + e^{z}) for t = 0 and log(1 + e^{-z}) for t = 1.
    const double expected = (log1p_exp(1) + log1p_exp(1) + log1p_exp(-2) + log1p_exp(3)) / 4;
    CHECK(e.loss == Approx(expected));
  }
}

TEST_CASE("fit learns a per-pixel rule from masks, and refuses masks that do not fit",
          "[train][segmentation]") {
  // Class 1 where the pixel is bright, 0 elsewhere: a 1x1 convolution can learn it.
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> images(64 * 16);
  std::vector<int> masks(images.size());
  for (std::size_t i = 0; i < images.size(); ++i) {
    images[i] = u(rng);
    masks[i] = images[i] > 0.2f ? 1 : 0;
  }
  const auto data = tn::data::SegmentationDataset::from_arrays(images, masks, 1, 4, 4, 2);
  namespace aug = tn::data::augment;
  SECTION("softmax cross-entropy on two score maps, with joint augmentation") {
    using Net = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<2, tn::Kernel<1>>>;
    tn::Model<Net> model{tn::init::He{}, 1, 16};
    tn::optim::Adam adam{{.lr = 0.05}};
    const auto before = tn::evaluate(model, data);
    const auto history =
        tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, data,
                {.epochs = 100,
                 .batch = 16,
                 .validation = data,
                 .augment = aug::chain(aug::HorizontalFlip{0.5, 1, 4, 4}, aug::RandomCrop{4, 4, 1}),
                 .quiet = true});
    const auto after = tn::evaluate(model, data);
    INFO("pixel accuracy before " << before.pixel_accuracy << ", after " << after.pixel_accuracy);
    CHECK(after.pixel_accuracy > 0.97);
    CHECK(after.mean_iou > 0.9);
    CHECK(history.epochs.back().validation_accuracy == Approx(after.pixel_accuracy));
  }
  SECTION("Dice on a one-channel logit map (binary masks)") {
    using Net = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<1, tn::Kernel<1>>>;
    tn::Model<Net> model{tn::init::He{}, 1, 16};
    tn::optim::Adam adam{{.lr = 0.05}};
    tn::fit(model, adam, tn::loss::Dice{.smooth = 1}, data,
            tn::SegmentationFitOptions{.epochs = 30, .batch = 16, .quiet = true});
    CHECK(tn::evaluate(model, data, tn::loss::Dice{.smooth = 1}).pixel_accuracy > 0.95);
  }
  SECTION("pixels an augmentation fills with ignore_index are neither trained nor counted") {
    // Translate and RandomAffine leave -100 where the image moved out; the training accuracy
    // counts the labelled pixels only (it read confusion[-100] before).
    using Net = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<2, tn::Kernel<1>>>;
    for (int kind = 0; kind < 2; ++kind) {
      INFO((kind == 0 ? "Translate" : "RandomAffine"));
      tn::Model<Net> model{tn::init::He{}, 1, 16};
      tn::optim::Adam adam{{.lr = 0.05}};
      tn::SegmentationAugmentation augment;
      if (kind == 0)
        augment = aug::Translate{.height = 4, .width = 4, .shift = 2, .mask_fill = -100};
      else
        augment = aug::RandomAffine{.height = 4, .width = 4, .degrees = 40, .mask_fill = -100};
      const auto history = tn::fit(
          model, adam, tn::loss::SoftmaxCrossEntropy{}, data,
          tn::SegmentationFitOptions{.epochs = 30, .batch = 16, .augment = augment, .quiet = true});
      CHECK(history.epochs.back().train_accuracy > 0.85);  // a rotated 4x4 image blurs
      CHECK(history.epochs.back().train_accuracy <= 1.0);
      CHECK(tn::evaluate(model, data).pixel_accuracy > 0.95);
    }
  }
  SECTION("a label an augmentation leaves outside the classes names the training image") {
    // Dice (multi-class) and the binary losses have no ignore_index: -100 from mask_fill is
    // refused, naming the image of the dataset, not only its place in the shuffled batch.
    const auto augment = aug::Translate{.height = 4, .width = 4, .shift = 3, .mask_fill = -100};
    const auto refused = [&]<class Net>(std::type_identity<Net>, auto loss,
                                        const std::string& what) {
      tn::Model<Net> model{tn::init::He{}, 1, 16};
      tn::optim::Adam adam;
      try {
        tn::fit(model, adam, loss, data,
                tn::SegmentationFitOptions{
                    .epochs = 1, .batch = 16, .augment = augment, .quiet = true});
        FAIL("fit trained on a mask label of -100");
      } catch (const tn::FitError& error) {
        const std::string message = error.what();
        CHECK_THAT(message, Contains("label -100 of sample ") && Contains(what) &&
                                Contains(", after augmentation), pixel ("));
        // Shuffled, the batch position and the dataset index differ; the index is a real one.
        const auto at = message.find("(training image ");
        REQUIRE(at != std::string::npos);
        CHECK(std::stoul(message.substr(at + 16)) < data.size());
      }
    };
    using Multi = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<2, tn::Kernel<1>>>;
    using Binary = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<1, tn::Kernel<1>>>;
    refused(std::type_identity<Multi>{}, tn::loss::Dice{}, "Dice has no ignore_index");
    refused(std::type_identity<Binary>{}, tn::loss::Dice{}, "is not 0 or 1");
    refused(std::type_identity<Binary>{}, tn::loss::BinaryCrossEntropyWithLogits{},
            "its losses have no ignore_index");
  }
  SECTION("a batch position becomes a dataset index; other messages pass unchanged") {
    const std::vector<std::size_t> batch{7, 3, 12};
    CHECK(tn::detail::name_training_image("Dice: label 5 of sample 1, pixel (0, 2) is bad", batch,
                                          false) ==
          "Dice: label 5 of sample 1 (training image 3), pixel (0, 2) is bad");
    CHECK(tn::detail::name_training_image("label 9 of sample 2, pixel", batch, true) ==
          "label 9 of sample 2 (training image 12, after augmentation), pixel");
    CHECK(tn::detail::name_training_image("sample 3 is past the batch", batch, false) ==
          "sample 3 is past the batch");
    CHECK(tn::detail::name_training_image("no position here", batch, false) == "no position here");
    CHECK(tn::detail::name_training_image("sample x", batch, false) == "sample x");
  }
  SECTION("masks of another size than the output, and too many classes, are refused") {
    using Net = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<2, tn::Kernel<3>>>;  // 2 x 2 out
    tn::Model<Net> model;
    tn::optim::SGD sgd;
    REQUIRE_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data),
                        Contains("fit (training set): the masks are 4x4 but the network's "
                                 "output is 2x2x2"));
    using Binary = tn::Sequential<tn::Input<1, 4, 4>, tn::Conv2D<1, tn::Kernel<1>>>;
    tn::Model<Binary> binary;
    auto three = data;
    three.classes = 3;
    three.masks[0] = 2;
    REQUIRE_THROWS_WITH(tn::evaluate(binary, three),
                        Contains("a 1-channel output is a binary mask: classes 0 and 1"));
  }
}
