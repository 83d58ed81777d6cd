// Geometric augmentations on synthetic images: identities are exact, points land where the
// transform sends them (dots at a square's corners, a square turned into a diamond, a lens),
// crops cut the window they draw, and every one is reproducible by seed, for float and double.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <typenet/data/augment.hpp>
#include <utility>
#include <vector>

namespace aug = typenet::data::augment;

namespace {

constexpr double pi = 3.14159265358979323846;
using P = std::pair<int, int>;

template <class T>
std::vector<T> noise_image(std::size_t size, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<T> normal;
  std::vector<T> image(size);
  for (auto& v : image) v = normal(rng);
  return image;
}

// A side x side image, zero but for the given dots (offsets from the centre, and values).
template <class T>
std::vector<T> dots(std::size_t side, std::initializer_list<std::array<int, 3>> points) {
  std::vector<T> image(side * side, T(0));
  const auto c = int(side / 2);
  for (const auto& [dx, dy, value] : points)
    image[std::size_t((c + dy) * int(side) + c + dx)] = T(value);
  return image;
}

struct Mass {
  double total = 0, x = 0, y = 0;  // x, y: the centroid, relative to the image centre
};

// The mass and centroid of the values within `radius` pixels of (cx + x, cy + y).
template <class T>
Mass mass_near(const std::vector<T>& image, std::size_t side, double x, double y, int radius = 2) {
  const double c = double(side / 2);
  Mass m;
  for (int py = int(std::lround(c + y)) - radius; py <= int(std::lround(c + y)) + radius; ++py)
    for (int px = int(std::lround(c + x)) - radius; px <= int(std::lround(c + x)) + radius; ++px) {
      if (py < 0 || px < 0 || py >= int(side) || px >= int(side)) continue;
      const double v = double(image[std::size_t(py) * side + std::size_t(px)]);
      m.total += v, m.x += v * (px - c), m.y += v * (py - c);
    }
  if (m.total != 0) m.x /= m.total, m.y /= m.total;
  return m;
}

}  // namespace

TEMPLATE_TEST_CASE("Identity transforms leave an image bitwise unchanged", "[data][augment]", float,
                   double) {
  const std::size_t side = 12, channels = 3, size = channels * side * side;
  const auto original = noise_image<TestType>(size, 7);
  const aug::ImageSize shape{channels, side, side};
  std::mt19937_64 rng(3);
  auto image = original;
  aug::affine(std::span(image), shape, {});
  CHECK(image == original);
  aug::resized_crop(std::span(image), shape, 0, 0, side, side);
  CHECK(image == original);
  aug::distort_lens(std::span(image), shape, 0.0);
  CHECK(image == original);
  const auto identities = aug::chain(
      aug::RandomAffine{.height = side,
                        .width = side,
                        .degrees = 0,
                        .min_scale = 1,
                        .max_scale = 1,
                        .channels = channels},
      aug::RandomResizedCrop{.height = side,
                             .width = side,
                             .min_scale = 1,
                             .max_scale = 1,
                             .min_ratio = 1,
                             .max_ratio = 1,
                             .channels = channels},
      aug::LensDistortion{
          .height = side, .width = side, .min_k = 0, .max_k = 0, .channels = channels},
      aug::ColorJitter{.brightness = 0, .contrast = 0, .channels = channels},
      aug::Cutout{.height = side, .width = side, .size = 3, .channels = channels, .p = 0});
  identities(std::span(image), rng);
  CHECK(image == original);
  // A whole-pixel shift moves values bitwise, the uncovered rows and columns become the fill.
  aug::affine(std::span(image), shape, {.translate_x = 2, .translate_y = -1}, TestType(-5));
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t y = 0; y < side; ++y)
      for (std::size_t x = 0; x < side; ++x) {
        const auto at = (c * side + y) * side + x;
        if (x < 2 || y + 1 >= side)
          CHECK(image[at] == TestType(-5));
        else
          CHECK(image[at] == original[at + side - 2]);
      }
}

TEMPLATE_TEST_CASE("A rotation moves a square's corners where the rotation sends them",
                   "[data][augment]", float, double) {
  const std::size_t side = 31;
  const aug::ImageSize shape{1, side, side};
  SECTION("dots at the corners, turned 30 degrees counter-clockwise") {
    // Distinct values tell the corners apart; the y axis points down.
    auto image = dots<TestType>(side, {{6, -6, 1}, {-6, -6, 2}, {-6, 6, 3}, {6, 6, 4}});
    aug::affine(std::span(image), shape, {.angle = 30});
    const double c = std::cos(30 * pi / 180), s = std::sin(30 * pi / 180);
    int value = 1;
    for (const auto& [dx, dy] : {P{6, -6}, P{-6, -6}, P{-6, 6}, P{6, 6}}) {
      INFO("the corner at (" << dx << ", " << dy << ")");
      const double x = c * dx + s * dy, y = -s * dx + c * dy;  // counter-clockwise on screen
      const Mass m = mass_near(image, side, x, y);
      CHECK(m.total == Approx(value).epsilon(0.1));
      CHECK(m.x == Approx(x).margin(0.2));
      CHECK(m.y == Approx(y).margin(0.2));
      ++value;
    }
    // 90 degrees: the top-right corner goes to the top left.
    auto quarter = dots<TestType>(side, {{6, -6, 1}});
    aug::affine(std::span(quarter), shape, {.angle = 90});
    CHECK(double(quarter[(15 - 6) * side + 15 - 6]) == Approx(1).margin(1e-6));
  }
  SECTION("a filled square turned 45 degrees is a diamond") {
    std::vector<TestType> image(side * side, TestType(0));
    for (std::size_t y = 15 - 4; y <= 15 + 4; ++y)
      for (std::size_t x = 15 - 4; x <= 15 + 4; ++x) image[y * side + x] = 1;
    CHECK(image[(15 + 4) * side + 15 + 4] == 1);
    aug::affine(std::span(image), shape, {.angle = 45});
    const auto at = [&](int dy, int dx) {
      return double(image[std::size_t(15 + dy) * side + std::size_t(15 + dx)]);
    };
    // The corners, 4.5 * sqrt(2) = 6.4 pixels out, are on the axes now (a bilinear edge is where
    // the value crosses 1/2: 6 pixels out is inside, 7 outside); where they were is empty.
    for (const auto& [dy, dx] : {P{-1, 0}, P{1, 0}, P{0, -1}, P{0, 1}}) {
      CHECK(at(6 * dy, 6 * dx) > 0.5);
      CHECK(at(7 * dy, 7 * dx) < 0.5);
      CHECK(at(4 * (dy + dx), 4 * (dx - dy)) < 0.5);
    }
    CHECK(at(0, 0) == 1);
  }
  SECTION("per-axis scale and shear") {
    auto image = dots<TestType>(side, {{3, 0, 1}, {0, 4, 1}});
    aug::affine(std::span(image), shape, {.scale_x = 2, .scale_y = 0.5});
    CHECK(mass_near(image, side, 6, 0).x == Approx(6).margin(0.2));
    CHECK(mass_near(image, side, 0, 2).y == Approx(2).margin(0.2));
    auto sheared = dots<TestType>(side, {{0, 4, 1}});
    aug::affine(std::span(sheared), shape, {.shear_x = 45});  // x += tan(45) y
    const Mass m = mass_near(sheared, side, 4, 4);
    CHECK(m.total == Approx(1).epsilon(0.1));
    CHECK(m.x == Approx(4).margin(0.2));
  }
}

TEMPLATE_TEST_CASE("Lens distortion keeps the centre and moves the corners in or out",
                   "[data][augment]", float, double) {
  const std::size_t side = 31;
  const aug::ImageSize shape{1, side, side};
  const double half_diagonal = 15 * std::sqrt(2.0), r = 8 * std::sqrt(2.0) / half_diagonal;
  for (const double k : {-0.2, 0.2}) {
    INFO("k = " << k);
    auto image = noise_image<TestType>(side * side, 5);
    const auto centre = image[15 * side + 15];
    aug::distort_lens(std::span(image), shape, k);
    CHECK(image[15 * side + 15] == centre);
    // A dot towards the corner is seen at r (1 + k r^2): barrel pulls it in, pincushion out.
    auto dot = dots<TestType>(side, {{8, 8, 1}});
    aug::distort_lens(std::span(dot), shape, k);
    const double expected = r * (1 + k * r * r) * half_diagonal / std::sqrt(2.0);
    const Mass m = mass_near(dot, side, expected, expected);
    CHECK(m.x == Approx(expected).margin(0.25));
    CHECK(m.y == Approx(expected).margin(0.25));
    CHECK((k < 0 ? m.x < 7.7 : m.x > 8.3));
  }
  // Strong barrel: the lens shows nothing beyond radius 2 / (3 sqrt(1.5)) = 0.54; corners fill.
  auto image = noise_image<TestType>(side * side, 5);
  aug::distort_lens(std::span(image), shape, -0.5, TestType(-9));
  CHECK(image[0] == TestType(-9));
  CHECK(image[side * side - 1] == TestType(-9));
  CHECK(image[15 * side + 20] != TestType(-9));
}

TEMPLATE_TEST_CASE("RandomResizedCrop cuts the window it draws and resizes it back",
                   "[data][augment]", float, double) {
  const std::size_t side = 16;
  std::vector<TestType> ramp(side * side);  // each value its column
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = TestType(i % side);
  const aug::RandomResizedCrop quarter{.height = side,
                                       .width = side,
                                       .min_scale = 0.25,
                                       .max_scale = 0.25,
                                       .min_ratio = 1,
                                       .max_ratio = 1};
  for (unsigned seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 rng(seed), same(seed);
    const auto window = quarter.draw(same);
    CHECK(window.height == side / 2);
    CHECK(window.width == side / 2);
    CHECK(window.top + window.height <= side);
    CHECK(window.left + window.width <= side);
    auto image = ramp;
    quarter(std::span(image), rng);
    // Columns left .. left + 7, stretched over 16: the first and last keep their values.
    for (std::size_t y = 0; y < side; ++y) {
      CHECK(image[y * side] == TestType(window.left));
      CHECK(image[y * side + side - 1] == TestType(window.left + side / 2 - 1));
    }
  }
  // A ratio no draw can fit: torchvision's fallback, the central crop of the nearest ratio.
  std::mt19937_64 rng(1);
  const auto tall = aug::RandomResizedCrop{.height = side,
                                           .width = side,
                                           .min_scale = 1,
                                           .max_scale = 1,
                                           .min_ratio = 4,
                                           .max_ratio = 4}
                        .draw(rng);
  CHECK(tall.width == side);
  CHECK(tall.height == side / 4);
  CHECK(tall.top == (side - side / 4) / 2);
}

TEMPLATE_TEST_CASE("Random geometric augmentations are reproducible by seed", "[data][augment]",
                   float, double) {
  const std::size_t side = 20;
  const auto original = noise_image<TestType>(side * side, 11);
  const auto geometric = aug::chain(aug::RandomAffine{.height = side,
                                                      .width = side,
                                                      .degrees = 30,
                                                      .per_axis_scale = true,
                                                      .shear_x = 10,
                                                      .shear_y = 10,
                                                      .translate_x = 0.1,
                                                      .translate_y = 0.1},
                                    aug::RandomResizedCrop{.height = side, .width = side},
                                    aug::LensDistortion{.height = side, .width = side});
  const auto run = [&](unsigned seed) {
    std::mt19937_64 rng(seed);
    auto image = original;
    geometric(std::span(image), rng);
    return image;
  };
  CHECK(run(1) == run(1));
  CHECK(run(1) != run(2));
  CHECK(run(1) != original);
  // With a mask: the image goes as without one, the mask keeps only the classes it had.
  std::vector<int> mask(side * side);
  for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = int(i % 3);
  std::mt19937_64 rng(1);
  auto image = original;
  geometric(std::span(image), std::span(mask), rng);
  CHECK(image == run(1));
  CHECK(std::all_of(mask.begin(), mask.end(), [](int m) { return m >= 0 && m <= 2; }));
}

TEST_CASE("Geometric augmentations refuse impossible parameters, naming them", "[data][augment]") {
  std::vector<float> image(8 * 8, 0.0f);
  std::mt19937_64 rng(1);
  using Catch::Contains;
  REQUIRE_THROWS_AS((aug::RandomResizedCrop{
                        .height = 8, .width = 8, .min_scale = 0.9, .max_scale = 0.1}(image, rng)),
                    std::invalid_argument);
  REQUIRE_THROWS_WITH((aug::RandomResizedCrop{
                          .height = 8, .width = 8, .min_scale = 0.9, .max_scale = 0.1}(image, rng)),
                      "RandomResizedCrop: the scales [0.9, 0.1] are not 0 < min <= max <= 1");
  REQUIRE_THROWS_WITH(
      (aug::RandomResizedCrop{.height = 8, .width = 8, .min_ratio = 0}(image, rng)),
      "RandomResizedCrop: the aspect ratios [0, 1.333333] are not 0 < min <= max (finite)");
  REQUIRE_THROWS_WITH(
      (aug::RandomAffine{.height = 8, .width = 8, .min_scale = 1.2, .max_scale = 0.8}(image, rng)),
      "RandomAffine: the scales [1.2, 0.8] are not 0 < min <= max (finite)");
  REQUIRE_THROWS_WITH((aug::RandomAffine{.height = 8, .width = 8, .degrees = -5}(image, rng)),
                      "RandomAffine: degrees = -5 is not finite and >= 0");
  REQUIRE_THROWS_WITH((aug::RandomAffine{.height = 8, .width = 8, .shear_x = 90}(image, rng)),
                      "RandomAffine: a shear of 90 degrees is not in [0, 90)");
  REQUIRE_THROWS_WITH((aug::RandomAffine{.height = 8, .width = 8, .translate_y = 1.5}(image, rng)),
                      Contains("RandomAffine: a translation of 1.5 is not"));
  REQUIRE_THROWS_WITH(
      (aug::LensDistortion{.height = 8, .width = 8, .min_k = 0.3, .max_k = -0.3}(image, rng)),
      "LensDistortion: k [0.3, -0.3] is not finite with min <= max");
  REQUIRE_THROWS_WITH((aug::LensDistortion{.height = 8, .width = 8, .p = -0.5}(image, rng)),
                      "LensDistortion: p = -0.5 is not a probability in [0, 1]");
  REQUIRE_THROWS_WITH((aug::HorizontalFlip{.p = -0.5}(image, rng)),
                      "HorizontalFlip: p = -0.5 is not a probability in [0, 1]");
  const aug::ImageSize shape{1, 8, 8};
  REQUIRE_THROWS_WITH(aug::affine(std::span(image), shape, {.shear_x = 90}),
                      "affine: a shear of 90 degrees is not in (-90, 90)");
  REQUIRE_THROWS_WITH(aug::affine(std::span(image), shape, {.scale_x = 0}),
                      "affine: the scale (0, 1) is not positive");
  REQUIRE_THROWS_WITH(aug::affine(std::span(image), shape, {.shear_x = 45, .shear_y = 45}),
                      Contains("make the transform singular"));
  REQUIRE_THROWS_WITH(aug::resized_crop(std::span(image), shape, 4, 0, 5, 8),
                      "resized_crop: the crop 5 x 8 at (4, 0) is not a non-empty part of the 8 x "
                      "8 image");
  REQUIRE_THROWS_WITH(aug::distort_lens(std::span(image), shape, std::nan("")),
                      "distort_lens: k = nan is not finite");
  REQUIRE_THROWS_WITH(aug::affine(std::span(image), {1, 4, 4}, {}),
                      Catch::StartsWith("affine: an image of 64 values is not 1 x 4 x 4"));
}
