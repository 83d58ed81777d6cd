// Augmentations and pad told impossible shapes: a sentence, never a write outside the image.
#include <catch2/catch.hpp>
#include <random>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;
namespace aug = tn::data::augment;

TEST_CASE("An augmentation told another image shape refuses the image", "[data][augment]") {
  std::vector<float> image(1 * 32 * 32, 1.0f);  // a padded Fashion-MNIST image
  std::mt19937_64 rng(1);
  // The shapes of a CIFAR image, as docs/training.md once showed them for 1-channel data.
  REQUIRE_THROWS_WITH((aug::HorizontalFlip{1.0, 3, 32, 32}(image, rng)),
                      "HorizontalFlip: an image of 1024 values is not 3 x 32 x 32 (channels x "
                      "height x width, as the augmentation was told)");
  REQUIRE_THROWS_WITH((aug::RandomCrop{32, 32, 4, 3}(image, rng)),
                      Catch::StartsWith("RandomCrop: an image of 1024 values is not 3 x 32 x 32"));
  REQUIRE_THROWS_WITH((aug::Translate{28, 28, 2}(image, rng)),
                      Catch::StartsWith("Translate: an image of 1024 values is not 1 x 28 x 28"));
  REQUIRE_THROWS_WITH((aug::HorizontalFlip{1.0, 0, 32, 32}(image, rng)),
                      Catch::StartsWith("HorizontalFlip: an image of 1024 values is not 0 x"));
  // A flip of a non-square image with the side left to guess.
  std::vector<float> wide(2 * 3, 0.0f);
  REQUIRE_THROWS_WITH(aug::HorizontalFlip{}(wide, rng),
                      Catch::StartsWith("HorizontalFlip: an image of 6 values is not 1 x 2 x 2"));
  // The right shapes still work, also through fit.
  const auto right = aug::chain(aug::HorizontalFlip{0.5, 1, 32, 32}, aug::RandomCrop{32, 32, 4, 1},
                                aug::Translate{32, 32, 2});
  CHECK_NOTHROW(right(image, rng));
  using Net = tn::Sequential<tn::Input<1, 4, 4>, tn::Flatten, tn::Dense<2>>;
  tn::Model<Net> model{tn::init::He{}, 1, 8};
  tn::optim::SGD sgd;
  const auto data = tn::data::Dataset::from_arrays(std::vector<float>(8 * 16, 0.5f),
                                                   {0, 1, 0, 1, 0, 1, 0, 1}, 1, 4, 4, 2);
  REQUIRE_THROWS_WITH(
      tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data,
              {.epochs = 1, .batch = 8, .augment = aug::RandomCrop{8, 8, 1}, .quiet = true}),
      Catch::StartsWith("RandomCrop: an image of 16 values is not 1 x 8 x 8"));
}

TEST_CASE("pad refuses a border that would wrap around", "[data][augment]") {
  const auto data =
      tn::data::Dataset::from_arrays(std::vector<float>(2 * 4, 1.0f), {0, 1}, 1, 2, 2, 2);
  const int minus_three = -3;
  REQUIRE_THROWS_WITH(tn::data::pad(data, std::size_t(minus_three)),
                      Catch::StartsWith("pad: a border of 18446744073709551613 pixels is more "
                                        "than 32768"));
  REQUIRE_THROWS_WITH(tn::data::pad(data, 40000), Catch::StartsWith("pad: a border of 40000"));
  const auto padded = tn::data::pad(data, 1);
  CHECK(padded.height == 4);
  CHECK(padded.images.size() == 2 * 16);
}
