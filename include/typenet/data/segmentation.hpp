// Segmentation data: images with a mask per sample, one class index per pixel.
//
//   auto fm = tn::data::fashion_mnist();
//   auto train = tn::data::composite_scenes(fm.train, {.count = 5000, .seed = 1});  // 64 x 64
//   auto test = tn::data::composite_scenes(fm.test, {.count = 1000, .seed = 2});
//   auto norm = tn::data::Normalizer::fit(train); norm.apply(train); norm.apply(test);
//
// Masks from files: tn::data::read_mask (image.hpp) reads a grey PNG of class indices;
// to_segmentation_dataset joins images and masks. Augmentations that move an image and its mask
// together are the ones in augment.hpp, called with (image, mask, rng). Compiled once, in
// src/data/segmentation.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "typenet/data/dataset.hpp"
#include "typenet/data/image.hpp"

namespace typenet::data {

struct SegmentationDataset {
  std::size_t channels = 0, height = 0, width = 0;
  std::size_t classes = 0;
  std::vector<float> images;  // size() * sample_size(), sample-major (C x H x W each)
  std::vector<int> masks;     // size() * pixels(), sample-major (H x W each), in [0, classes)

  // A dataset from arrays in memory. Throws DataError as `check` does.
  static SegmentationDataset from_arrays(std::vector<float> images, std::vector<int> masks,
                                         std::size_t channels, std::size_t height,
                                         std::size_t width, std::size_t classes);

  // The invariants: no sample dimension is 0, images holds a whole number of samples, masks one
  // H x W mask per sample, 1 <= classes <= max_classes, every mask value in [0, classes) (else
  // the sample and pixel are named). Throws DataError with a sentence starting with `where`.
  void check(std::string_view where) const;

  std::size_t sample_size() const { return channels * height * width; }
  std::size_t pixels() const { return height * width; }
  std::size_t size() const { return sample_size() == 0 ? 0 : images.size() / sample_size(); }
  std::span<const float> image(std::size_t i) const {
    return {images.data() + i * sample_size(), sample_size()};
  }
  std::span<const int> mask(std::size_t i) const { return {masks.data() + i * pixels(), pixels()}; }
  // The samples at the given indices, in that order (std::out_of_range for a bad index).
  SegmentationDataset subset(std::span<const std::size_t> indices) const;
  // The first n samples (all if n >= size()).
  SegmentationDataset head(std::size_t n) const;
};

// Shuffled split: the first `fraction` of a seeded permutation, and the rest.
std::pair<SegmentationDataset, SegmentationDataset> split(const SegmentationDataset& data,
                                                          double fraction, std::uint64_t seed);

// Images and their masks (same height and width, pair by pair) as a dataset. Throws DataError
// naming the pair when their sizes differ, the images differ in shape, or a class is not in
// [0, classes).
SegmentationDataset to_segmentation_dataset(const std::vector<Image>& images,
                                            const std::vector<Mask>& masks, std::size_t classes);

// Scenes composed of Fashion-MNIST-like items (1 x h x w images in [0, 1], labels < 10): each
// scene is a size x size canvas of background (0) with min_items to max_items items drawn at
// random (with replacement) from `items`, each placed at a random position inside the canvas;
// later items cover earlier ones where they overlap. An item's pixels above `threshold` are its
// silhouette: the scene takes the item's intensity there and the mask its label + 1, so the
// mask has items.classes + 1 classes, 0 the background. The same items, options and seed
// always give the same scenes. Throws DataError for items that are not 1 channel or larger than
// the canvas, an empty item set, or min_items > max_items or max_items == 0.
struct SceneOptions {
  std::size_t count = 1000;  // scenes
  std::size_t size = 64;     // canvas side
  std::size_t min_items = 2, max_items = 4;
  float threshold = 0.1f;
  std::uint64_t seed = 1;
};
SegmentationDataset composite_scenes(const Dataset& items, const SceneOptions& options);

}  // namespace typenet::data
