// Dataset::check, the invariants every reader and from_arrays end with; the normaliser's errors.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <typenet/typenet.hpp>

namespace tn = typenet;

namespace {
tn::data::Dataset two_by_three() {
  return tn::data::Dataset::from_arrays({1, 2, 3, 4, 5, 6}, {0, 2}, 1, 1, 3, 3);
}
}  // namespace

TEST_CASE("SegmentationDataset::check shares Dataset's shape and class-count sentences", "[data]") {
  const auto two = [] {
    return tn::data::SegmentationDataset::from_arrays({1, 2, 3, 4, 5, 6}, {0, 1, 2, 0, 1, 2}, 1, 1,
                                                      3, 3);
  };
  REQUIRE_NOTHROW(two().check("here"));
  auto huge = two();
  huge.channels = std::size_t(1) << 32;
  huge.height = std::size_t(1) << 32;
  REQUIRE_THROWS_WITH(huge.check("x"),
                      "x: samples of 4294967296x4294967296x3 have more values "
                      "than a size_t counts");
  for (int field = 0; field < 3; ++field) {
    auto zero = two();
    (field == 0 ? zero.channels : field == 1 ? zero.height : zero.width) = 0;
    REQUIRE_THROWS_WITH(zero.check("x"), Catch::EndsWith("(a sample dimension is 0)"));
  }
  auto no_classes = two();
  no_classes.classes = 0;
  REQUIRE_THROWS_WITH(no_classes.check("evaluate"),
                      "evaluate: 0 classes (a dataset needs at least one)");
  auto many = two();
  many.classes = tn::data::max_classes + 1;
  REQUIRE_THROWS_WITH(many.check("x"),
                      "x: 100001 classes is more than the 100000 a dataset may "
                      "have (typenet::data::max_classes)");
  auto odd = two();
  odd.images.pop_back();
  REQUIRE_THROWS_WITH(odd.check("x"),
                      "x: 5 image values are not a whole number of samples of 1x1x3");
}

TEST_CASE("Dataset::check: each invariant, with a sentence naming the caller", "[data]") {
  REQUIRE_NOTHROW(two_by_three().check("here"));
  REQUIRE_NOTHROW(tn::data::Dataset::from_arrays({}, {}, 1, 2, 2, 1).check("empty"));
  // Issue 12: a Dataset whose images are shorter than size() x sample_size() (its fields are
  // public) made fit read past the buffer.
  auto short_images = two_by_three();
  short_images.images.pop_back();
  REQUIRE_THROWS_AS(short_images.check("fit"), tn::data::DataError);
  REQUIRE_THROWS_WITH(short_images.check("fit"),
                      "fit: 5 values for 2 samples of 1x1x3 (images must hold size() * "
                      "sample_size() values)");
  auto long_images = two_by_three();
  long_images.images.push_back(0);
  REQUIRE_THROWS_WITH(long_images.check("x"), Catch::StartsWith("x: 7 values for 2 samples"));
  auto extra_label = two_by_three();
  extra_label.labels.push_back(0);
  REQUIRE_THROWS_WITH(extra_label.check("x"), Catch::StartsWith("x: 6 values for 3 samples"));
  // A shape whose product overflows is not mistaken for a matching one.
  auto huge = two_by_three();
  huge.channels = std::size_t(1) << 32;
  huge.height = std::size_t(1) << 32;
  REQUIRE_THROWS_WITH(huge.check("x"),
                      "x: samples of 4294967296x4294967296x3 have more values "
                      "than a size_t counts");
  for (int field = 0; field < 3; ++field) {
    auto zero = two_by_three();
    (field == 0 ? zero.channels : field == 1 ? zero.height : zero.width) = 0;
    REQUIRE_THROWS_WITH(zero.check("x"), Catch::EndsWith("(a sample dimension is 0)"));
  }
  auto no_classes = two_by_three();
  no_classes.classes = 0;
  REQUIRE_THROWS_WITH(no_classes.check("evaluate"),
                      "evaluate: 0 classes (a dataset needs at least one)");
  auto many = two_by_three();
  many.classes = tn::data::max_classes + 1;
  REQUIRE_THROWS_WITH(many.check("x"),
                      "x: 100001 classes is more than the 100000 a dataset may "
                      "have (typenet::data::max_classes)");
  for (int label : {-1, 3, std::numeric_limits<int>::min()}) {
    auto bad = two_by_three();
    bad.labels[1] = label;
    REQUIRE_THROWS_WITH(bad.check("x"),
                        "x: label " + std::to_string(label) + " of row 1 is not in [0, 3)");
  }
  // from_arrays and one_hot check too.
  REQUIRE_THROWS_WITH(tn::data::Dataset::from_arrays({1, 2, 3}, {0}, 1, 1, 3, 0),
                      "Dataset::from_arrays: 0 classes (a dataset needs at least one)");
  REQUIRE_THROWS_WITH(tn::data::Dataset::from_arrays({}, {}, 1, 0, 3, 2),
                      Catch::StartsWith("Dataset::from_arrays: samples of 1x0x3"));
  auto bad = two_by_three();
  bad.labels[0] = 9;
  REQUIRE_THROWS_WITH(tn::data::one_hot(bad), "one_hot: label 9 of row 0 is not in [0, 3)");
}

TEST_CASE("from_arrays names the labels when they, not the images, are miscounted", "[data]") {
  // Two whole samples of 1x1x3 and one label, then three: the labels are at fault.
  REQUIRE_THROWS_WITH(tn::data::Dataset::from_arrays({1, 2, 3, 4, 5, 6}, {0}, 1, 1, 3, 3),
                      "Dataset::from_arrays: 1 labels, but images holds 2 samples of 1x1x3 (6 "
                      "values): give one label per sample");
  REQUIRE_THROWS_WITH(
      tn::data::Dataset::from_arrays({1, 2, 3, 4, 5, 6}, {0, 1, 2}, 1, 1, 3, 3),
      Catch::StartsWith("Dataset::from_arrays: 3 labels, but images holds 2 samples"));
  // No labels at all for images of a whole sample.
  REQUIRE_THROWS_WITH(
      tn::data::Dataset::from_arrays({1, 2, 3}, {}, 1, 1, 3, 3),
      Catch::StartsWith("Dataset::from_arrays: 0 labels, but images holds 1 samples"));
  // Images that are not a whole number of samples are still the images' fault.
  REQUIRE_THROWS_WITH(tn::data::Dataset::from_arrays({1, 2, 3, 4, 5}, {0, 1}, 1, 1, 3, 3),
                      "Dataset::from_arrays: 5 values for 2 samples of 1x1x3 (images must hold "
                      "size() * sample_size() values)");
}

TEST_CASE("Normalizer: empty sets, NaN and infinity, channel counts", "[data]") {
  // Issue 12: fit on an empty or NaN-containing set returned NaN mean and stddev.
  const auto empty = tn::data::Dataset::from_arrays({}, {}, 2, 2, 2, 3);
  REQUIRE_THROWS_WITH(tn::data::Normalizer::fit(empty),
                      "Normalizer::fit: the dataset is empty (no values to take a mean of)");
  auto data =
      tn::data::Dataset::from_arrays(std::vector<float>(2 * 2 * 2 * 2, 1.0f), {0, 1}, 2, 2, 2, 3);
  data.images[8 + 4 + 3] = std::nanf("");  // sample 1, channel 1, pixel (1, 1)
  REQUIRE_THROWS_WITH(tn::data::Normalizer::fit(data),
                      "Normalizer::fit: sample 1, channel 1, pixel (1, 1) is NaN");
  data.images[8 + 4 + 3] = 1;
  data.images[2] = -std::numeric_limits<float>::infinity();  // sample 0, channel 0, pixel (1, 0)
  REQUIRE_THROWS_WITH(tn::data::Normalizer::fit(data),
                      "Normalizer::fit: sample 0, channel 0, pixel (1, 0) is infinite");
  data.images[2] = 3;
  const auto fitted = tn::data::Normalizer::fit(data);
  CHECK(fitted.mean.size() == 2);
  auto one_channel = tn::data::Dataset::from_arrays({1, 2, 3, 4}, {0}, 1, 2, 2, 1);
  REQUIRE_THROWS_AS(fitted.apply(one_channel), tn::data::DataError);
  REQUIRE_THROWS_WITH(fitted.apply(one_channel),
                      "Normalizer::apply: fitted on 2 channels, the data has 1");
  REQUIRE_THROWS_WITH(tn::data::Normalizer{}.apply(data),
                      "Normalizer::apply: fitted on 0 channels, the data has 2");
  auto broken = data;
  broken.images.resize(3);
  REQUIRE_THROWS_WITH(tn::data::Normalizer::fit(broken),
                      Catch::StartsWith("Normalizer::fit: 3 values"));
}
