// Segmentation data: mask PNGs, datasets of images and masks, joint augmentations (image and
// mask moved by the same draw), composite scenes.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace tn = typenet;
namespace fs = std::filesystem;
namespace aug = tn::data::augment;
using Catch::Contains;

namespace {

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("typenet-mask-test-" + std::to_string(getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  fs::path operator/(const std::string& name) const { return dir / name; }
};

// An 8 x 8 image whose value at each pixel is its mask's class (blocks of 2 x 2 classes 0-3):
// any augmentation that moves both alike keeps image == mask.
std::pair<std::vector<float>, std::vector<int>> labelled_image() {
  std::vector<float> image(64);
  std::vector<int> mask(64);
  for (std::size_t y = 0; y < 8; ++y)
    for (std::size_t x = 0; x < 8; ++x) {
      mask[y * 8 + x] = int((y / 2 + x / 2 + x / 4) % 4);
      image[y * 8 + x] = float(mask[y * 8 + x]);
    }
  return {image, mask};
}

bool image_is_mask(const std::vector<float>& image, const std::vector<int>& mask) {
  for (std::size_t i = 0; i < mask.size(); ++i)
    if (image[i] != float(mask[i])) return false;
  return true;
}

}  // namespace

TEST_CASE("Mask PNGs read back as class indices, colour masks are refused",
          "[data][segmentation]") {
  Scratch scratch;
  const std::vector<std::uint8_t> classes{0, 1, 2, 10, 255, 3};
  REQUIRE(stbi_write_png((scratch / "mask.png").c_str(), 3, 2, 1, classes.data(), 3) != 0);
  const auto mask = tn::data::read_mask(scratch / "mask.png");
  CHECK(mask.height == 2);
  CHECK(mask.width == 3);
  CHECK(mask.classes == std::vector<int>{0, 1, 2, 10, 255, 3});

  const std::vector<std::uint8_t> rgb(2 * 3 * 3, 1);
  REQUIRE(stbi_write_png((scratch / "rgb.png").c_str(), 3, 2, 3, rgb.data(), 9) != 0);
  REQUIRE_THROWS_WITH(tn::data::read_mask(scratch / "rgb.png"),
                      Contains("rgb.png") && Contains("has colour or alpha channels"));
  REQUIRE(stbi_write_bmp((scratch / "mask.bmp").c_str(), 3, 2, 1, classes.data()) != 0);
  REQUIRE_THROWS_WITH(tn::data::read_mask(scratch / "mask.bmp"),
                      Contains("mask.bmp: a mask must be a PNG file of class indices"));
  REQUIRE_THROWS_WITH(tn::data::read_mask(scratch / "missing.png"), Contains("no such file"));

  // Joined with their images into a dataset; a mask of another size is named.
  const tn::data::Image image{1, 2, 3, std::vector<float>(6, 0.5f)};
  const tn::data::Mask small{2, 3, {0, 1, 2, 0, 1, 2}};
  const auto data = tn::data::to_segmentation_dataset({image, image}, {small, small}, 3);
  CHECK(data.size() == 2);
  CHECK(std::vector<int>(data.mask(1).begin(), data.mask(1).end()) == small.classes);
  REQUIRE_THROWS_WITH(tn::data::to_segmentation_dataset({image}, {mask}, 3),
                      Contains("class 10 of sample 0, pixel (1, 0) is not in [0, 3)"));
  const tn::data::Mask wide{2, 4, std::vector<int>(8, 0)};
  REQUIRE_THROWS_WITH(tn::data::to_segmentation_dataset({image, image}, {small, wide}, 3),
                      Contains("mask 1 is 2x4, its image 2x3"));
  // A hand-built mask or image whose vector disagrees with its own size (it read "mask 0 is
  // 2x3, its image 2x3", which sounds like a match).
  const tn::data::Mask short_mask{2, 3, std::vector<int>(5, 0)};
  REQUIRE_THROWS_WITH(tn::data::to_segmentation_dataset({image}, {short_mask}, 3),
                      Contains("mask 0 holds 5 values, not 2x3"));
  const tn::data::Image short_image{1, 2, 3, std::vector<float>(7, 0.5f)};
  REQUIRE_THROWS_WITH(tn::data::to_segmentation_dataset({image, short_image}, {small, small}, 3),
                      Contains("image 1 holds 7 values, not 1x2x3"));
  // No images is an error (as to_dataset's), not a dataset of a made-up 1x1x1 shape.
  REQUIRE_THROWS_WITH(tn::data::to_segmentation_dataset({}, {}, 3),
                      Contains("to_segmentation_dataset: no images"));
}

TEST_CASE("A segmentation dataset keeps each image with its mask", "[data][segmentation]") {
  std::vector<float> images(5 * 4);
  std::vector<int> masks(5 * 4);
  for (std::size_t i = 0; i < images.size(); ++i) {
    images[i] = float(i / 4);  // sample number
    masks[i] = int(i / 4) % 3;
  }
  const auto data = tn::data::SegmentationDataset::from_arrays(images, masks, 1, 2, 2, 3);
  const auto [left, right] = tn::data::split(data, 0.6, 7);
  CHECK(left.size() == 3);
  CHECK(right.size() == 2);
  for (const auto* part : {&left, &right})
    for (std::size_t i = 0; i < part->size(); ++i)
      CHECK(part->mask(i)[0] == int(part->image(i)[0]) % 3);

  auto normalised = data;
  tn::data::Normalizer::fit(data).apply(normalised);
  CHECK(normalised.masks == data.masks);
  CHECK(normalised.images != data.images);

  masks[13] = 3;
  REQUIRE_THROWS_WITH(tn::data::SegmentationDataset::from_arrays(images, masks, 1, 2, 2, 3),
                      Contains("class 3 of sample 3, pixel (0, 1) is not in [0, 3)"));
  masks.pop_back();
  REQUIRE_THROWS_WITH(tn::data::SegmentationDataset::from_arrays(images, masks, 1, 2, 2, 3),
                      Contains("19 mask values for 5 samples of 2x2 pixels"));
}

TEST_CASE("Joint augmentations move the mask with the image", "[data][segmentation][augment]") {
  const auto [image0, mask0] = labelled_image();
  std::mt19937_64 rng(3);
  SECTION("flips, crops and shifts keep image == mask, and draw as the image-only call") {
    const auto chain =
        aug::chain(aug::HorizontalFlip{0.5, 1, 8, 8}, aug::VerticalFlip{0.5, 1, 8, 8},
                   aug::RandomCrop{8, 8, 3}, aug::Translate{8, 8, 2});
    std::size_t changed = 0;
    for (int trial = 0; trial < 20; ++trial) {
      auto image = image0;
      auto mask = mask0;
      std::mt19937_64 twin = rng;
      chain(std::span(image), std::span(mask), rng);
      CHECK(image_is_mask(image, mask));
      changed += mask != mask0;
      auto alone = image0;
      chain(std::span(alone), twin);
      CHECK(alone == image);  // the same draws: an image augments alike with or without mask
    }
    CHECK(changed >= 15);
  }
  SECTION("a flip mirrors both") {
    auto image = image0;
    auto mask = mask0;
    aug::HorizontalFlip{1.0, 1, 8, 8}(image, mask, rng);
    for (std::size_t y = 0; y < 8; ++y)
      for (std::size_t x = 0; x < 8; ++x) CHECK(mask[y * 8 + x] == mask0[y * 8 + 7 - x]);
    aug::VerticalFlip{1.0, 1, 8, 8}(image, mask, rng);
    CHECK(mask[0] == mask0[7 * 8 + 7]);
    CHECK(image_is_mask(image, mask));
  }
  SECTION("padding enters the mask as mask_fill") {
    auto image = image0;
    auto mask = mask0;
    aug::Translate{.height = 8, .width = 8, .shift = 3, .fill = 9, .mask_fill = 9}(image, mask,
                                                                                   rng);
    CHECK(image_is_mask(image, mask));
  }
  SECTION("affine: bilinear image, nearest-neighbour mask of the original classes") {
    const aug::RandomAffine affine{
        .height = 8, .width = 8, .degrees = 40, .min_scale = 0.8, .max_scale = 1.2};
    std::size_t agree = 0, total = 0;
    for (int trial = 0; trial < 10; ++trial) {
      auto image = image0;
      auto mask = mask0;
      affine(image, mask, rng);
      for (std::size_t i = 0; i < 64; ++i) {
        CHECK((mask[i] >= 0 && mask[i] <= 3));  // nearest neighbour invents no class
        agree += std::lround(image[i]) == mask[i];
        ++total;
      }
    }
    // Bilinear blends at block edges; the mask follows the image elsewhere.
    CHECK(double(agree) / double(total) > 0.75);
    auto image = image0;
    auto mask = mask0;
    aug::RandomAffine{.height = 8, .width = 8, .degrees = 0, .min_scale = 1, .max_scale = 1}(
        image, mask, rng);
    CHECK(image == image0);
    CHECK(mask == mask0);
  }
  SECTION("a mask of another size is refused") {
    auto image = image0;
    std::vector<int> mask(60);
    const aug::RandomCrop crop{8, 8, 2};
    REQUIRE_THROWS_WITH(crop(image, mask, rng),
                        Contains("RandomCrop: a mask of 60 values is not 8 x 8"));
  }
}

TEST_CASE("Composite scenes: reproducible by seed, masks agree with the pixels",
          "[data][segmentation]") {
  // Two 4 x 4 items: a full square (label 3) and a ring (label 7).
  std::vector<float> items(2 * 16, 0.0f);
  for (std::size_t i = 0; i < 16; ++i) {
    items[i] = 0.8f;
    const std::size_t y = i / 4, x = i % 4;
    items[16 + i] = (y == 0 || y == 3 || x == 0 || x == 3) ? 0.6f : 0.0f;
  }
  const auto data = tn::data::Dataset::from_arrays(items, {3, 7}, 1, 4, 4, 10);
  const tn::data::SceneOptions options{.count = 50, .size = 12, .seed = 5};
  const auto scenes = tn::data::composite_scenes(data, options);
  REQUIRE(scenes.size() == 50);
  CHECK(scenes.classes == 11);
  CHECK(scenes.height == 12);
  std::set<int> seen;
  for (std::size_t i = 0; i < scenes.masks.size(); ++i) {
    const int label = scenes.masks[i];
    seen.insert(label);
    const float v = scenes.images[i];
    if (label == 0) CHECK(v == 0.0f);
    if (label == 4) CHECK(v == 0.8f);
    if (label == 8) CHECK(v == 0.6f);
  }
  CHECK(seen == std::set<int>{0, 4, 8});
  const auto again = tn::data::composite_scenes(data, options);
  CHECK(again.images == scenes.images);
  CHECK(again.masks == scenes.masks);
  auto other = options;
  other.seed = 6;
  CHECK(tn::data::composite_scenes(data, other).masks != scenes.masks);
  other.size = 3;
  REQUIRE_THROWS_WITH(tn::data::composite_scenes(data, other),
                      Contains("items of 4x4 do not fit a canvas of 3x3"));
}
