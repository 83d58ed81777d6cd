// Brightness, contrast and Cutout: what they do to constant images, the area Cutout cuts, and
// reproducibility by seed, for float and double.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <typenet/data/augment.hpp>
#include <vector>

namespace aug = typenet::data::augment;

TEMPLATE_TEST_CASE("Brightness scales and contrast keeps a constant image", "[data][augment]",
                   float, double) {
  const TestType v = TestType(0.3);
  std::vector<TestType> image(2 * 5 * 5, v);
  aug::adjust_brightness(std::span(image), 1.5);
  for (const auto x : image) CHECK(x == TestType(double(v) * 1.5));
  aug::adjust_brightness(std::span(image), 3.0, true);  // 1.35 clamped
  for (const auto x : image) CHECK(x == TestType(1));
  // Contrast pulls towards the mean: a constant image is its own mean.
  std::fill(image.begin(), image.end(), v);
  aug::adjust_contrast(std::span(image), 2, 0.2);
  for (const auto x : image) CHECK(double(x) == Approx(double(v)).epsilon(1e-6));
  // Contrast 0 leaves the mean grey everywhere; for RGB the luma-weighted mean.
  std::vector<TestType> rgb(3 * 4, TestType(0));
  std::fill(rgb.begin(), rgb.begin() + 4, TestType(1));  // a red image
  aug::adjust_contrast(std::span(rgb), 3, 0.0);
  for (const auto x : rgb) CHECK(double(x) == Approx(0.299).epsilon(1e-6));

  // ColorJitter: a factor in [1 - b, 1 + b] for all pixels alike, another per seed.
  std::vector<double> ratios;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<TestType> constant(25, v);
    aug::ColorJitter{.brightness = 0.4, .contrast = 0.5}(std::span(constant), rng);
    CHECK(std::all_of(constant.begin(), constant.end(),
                      [&](TestType x) { return double(x) == Approx(double(constant[0])); }));
    const double ratio = double(constant[0]) / double(v);
    CHECK(ratio >= 0.6 - 1e-6);
    CHECK(ratio <= 1.4 + 1e-6);
    ratios.push_back(ratio);
  }
  std::sort(ratios.begin(), ratios.end());
  CHECK(std::unique(ratios.begin(), ratios.end()) - ratios.begin() > 10);
}

TEMPLATE_TEST_CASE("Cutout sets a size x size square, clipped at the border", "[data][augment]",
                   float, double) {
  const std::size_t side = 20, channels = 2, cut = 6;
  const aug::Cutout cutout{
      .height = side, .width = side, .size = cut, .channels = channels, .fill = -1};
  std::size_t whole = 0, clipped = 0;
  for (unsigned seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed);
    std::vector<TestType> image(channels * side * side, TestType(1));
    cutout(std::span(image), rng);
    // The cut pixels of channel 0 form one rectangle, the same in channel 1.
    std::size_t count = 0, top = side, bottom = 0, left = side, right = 0;
    for (std::size_t y = 0; y < side; ++y)
      for (std::size_t x = 0; x < side; ++x) {
        const bool cut_here = image[y * side + x] == TestType(-1);
        CHECK(cut_here == (image[side * side + y * side + x] == TestType(-1)));
        if (!cut_here) continue;
        ++count;
        top = std::min(top, y), bottom = std::max(bottom, y + 1);
        left = std::min(left, x), right = std::max(right, x + 1);
      }
    REQUIRE(count > 0);
    CHECK(count == (bottom - top) * (right - left));
    CHECK(bottom - top <= cut);
    CHECK(right - left <= cut);
    const bool touches = top == 0 || left == 0 || bottom == side || right == side;
    if (!touches) CHECK(count == cut * cut);
    (touches ? clipped : whole) += 1;
  }
  CHECK(whole > 0);  // both kinds happened
  CHECK(clipped > 0);
  // Two holes cut at most twice the area; p = 0 cuts nothing.
  std::mt19937_64 rng(1);
  std::vector<TestType> image(channels * side * side, TestType(1));
  aug::Cutout{.height = side, .width = side, .size = cut, .channels = channels, .holes = 2}(
      std::span(image), rng);
  const auto zeros = std::count(image.begin(), image.end(), TestType(0));
  CHECK(zeros > 0);
  CHECK(std::size_t(zeros) <= 2 * channels * cut * cut);
  std::vector<TestType> untouched(channels * side * side, TestType(1));
  aug::Cutout{.height = side, .width = side, .size = cut, .channels = channels, .p = 0}(
      std::span(untouched), rng);
  CHECK(std::count(untouched.begin(), untouched.end(), TestType(1)) == long(untouched.size()));
}

TEMPLATE_TEST_CASE("Value augmentations are reproducible by seed and compose with the chain",
                   "[data][augment]", float, double) {
  const std::size_t side = 10;
  std::vector<TestType> original(side * side);
  for (std::size_t i = 0; i < original.size(); ++i) original[i] = TestType(i % 7) / 7;
  const auto values = aug::chain(aug::ColorJitter{}, aug::Cutout{side, side, 4},
                                 aug::GaussianNoise{0.05}, aug::HorizontalFlip{});
  const auto run = [&](unsigned seed) {
    std::mt19937_64 rng(seed);
    auto image = original;
    values(std::span(image), rng);
    return image;
  };
  CHECK(run(4) == run(4));
  CHECK(run(4) != run(5));
  // A mask passes through untouched.
  std::vector<int> mask(side * side, 3);
  std::mt19937_64 rng(4);
  auto image = original;
  aug::chain(aug::ColorJitter{}, aug::Cutout{side, side, 4})(std::span(image), std::span(mask),
                                                             rng);
  CHECK(std::all_of(mask.begin(), mask.end(), [](int m) { return m == 3; }));
}

TEST_CASE("Value augmentations refuse impossible parameters, naming them", "[data][augment]") {
  std::vector<float> image(8 * 8, 0.5f);
  std::mt19937_64 rng(1);
  REQUIRE_THROWS_AS((aug::Cutout{.height = 8, .width = 8, .size = 2, .p = -0.5}(image, rng)),
                    std::invalid_argument);
  REQUIRE_THROWS_WITH((aug::Cutout{.height = 8, .width = 8, .size = 2, .p = -0.5}(image, rng)),
                      "Cutout: p = -0.5 is not a probability in [0, 1]");
  REQUIRE_THROWS_WITH((aug::Cutout{.height = 8, .width = 8, .size = 0}(image, rng)),
                      "Cutout: size = 0 cuts nothing (give the square's side)");
  REQUIRE_THROWS_WITH((aug::Cutout{.height = 8, .width = 4, .size = 2}(image, rng)),
                      Catch::StartsWith("Cutout: an image of 64 values is not 1 x 8 x 4"));
  REQUIRE_THROWS_WITH((aug::ColorJitter{.brightness = -1}(image, rng)),
                      "ColorJitter: brightness = -1 is not finite and >= 0");
  REQUIRE_THROWS_WITH((aug::ColorJitter{.contrast = 0.5, .channels = 3}(image, rng)),
                      "ColorJitter: an image of 64 values is not 3 non-empty channels");
  REQUIRE_THROWS_WITH(aug::adjust_brightness(std::span(image), -0.5),
                      "adjust_brightness: factor = -0.5 is not finite and >= 0");
  REQUIRE_THROWS_WITH((aug::GaussianNoise{-1}(image, rng)),
                      "GaussianNoise: stddev = -1 is not finite and >= 0");
}
