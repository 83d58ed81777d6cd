// Segmentation datasets: the invariants, subsets, joining files, composite scenes.
#include "typenet/data/segmentation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>

namespace typenet::data {

void SegmentationDataset::check(std::string_view where) const {
  const std::string at(where);
  const std::size_t sample = detail::check_sample_shape(at, channels, height, width);
  if (images.size() % sample != 0)
    throw DataError(at + ": " + std::to_string(images.size()) + " image values are not a whole " +
                    "number of samples of " + std::to_string(channels) + "x" +
                    std::to_string(height) + "x" + std::to_string(width));
  if (masks.size() != size() * pixels())
    throw DataError(at + ": " + std::to_string(masks.size()) + " mask values for " +
                    std::to_string(size()) + " samples of " + std::to_string(height) + "x" +
                    std::to_string(width) + " pixels (one class per pixel)");
  detail::check_class_count(at, classes);
  for (std::size_t i = 0; i < masks.size(); ++i)
    if (masks[i] < 0 || std::size_t(masks[i]) >= classes) {
      const std::size_t p = i % pixels();
      throw DataError(at + ": class " + std::to_string(masks[i]) + " of sample " +
                      std::to_string(i / pixels()) + ", pixel (" + std::to_string(p / width) +
                      ", " + std::to_string(p % width) + ") is not in [0, " +
                      std::to_string(classes) + ")");
    }
}

SegmentationDataset SegmentationDataset::from_arrays(std::vector<float> images,
                                                     std::vector<int> masks, std::size_t channels,
                                                     std::size_t height, std::size_t width,
                                                     std::size_t classes) {
  SegmentationDataset data{channels, height, width, classes, std::move(images), std::move(masks)};
  data.check("SegmentationDataset::from_arrays");
  return data;
}

SegmentationDataset SegmentationDataset::subset(std::span<const std::size_t> indices) const {
  SegmentationDataset out{channels, height, width, classes, {}, {}};
  out.images.reserve(indices.size() * sample_size());
  out.masks.reserve(indices.size() * pixels());
  for (std::size_t i : indices) {
    if (i >= size())
      throw std::out_of_range("SegmentationDataset::subset: index " + std::to_string(i) +
                              " of a dataset of " + std::to_string(size()));
    out.images.insert(out.images.end(), image(i).begin(), image(i).end());
    out.masks.insert(out.masks.end(), mask(i).begin(), mask(i).end());
  }
  return out;
}

SegmentationDataset SegmentationDataset::head(std::size_t n) const {
  std::vector<std::size_t> indices(std::min(n, size()));
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  return subset(indices);
}

std::pair<SegmentationDataset, SegmentationDataset> split(const SegmentationDataset& data,
                                                          double fraction, std::uint64_t seed) {
  if (!(fraction >= 0 && fraction <= 1))
    throw std::invalid_argument("data::split: the fraction " + std::to_string(fraction) +
                                " is not in [0, 1]");
  std::vector<std::size_t> order(data.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  const auto cut = std::size_t(std::llround(fraction * double(order.size())));
  return {data.subset(std::span(order).first(cut)), data.subset(std::span(order).subspan(cut))};
}

SegmentationDataset to_segmentation_dataset(const std::vector<Image>& images,
                                            const std::vector<Mask>& masks, std::size_t classes) {
  const char* where = "to_segmentation_dataset";
  if (images.size() != masks.size())
    throw DataError(std::string(where) + ": " + std::to_string(images.size()) + " images and " +
                    std::to_string(masks.size()) + " masks (one mask per image)");
  if (images.empty()) throw DataError(std::string(where) + ": no images");  // as to_dataset
  SegmentationDataset data;
  data.classes = classes;
  if (!images.empty()) {
    data.channels = images[0].channels;
    data.height = images[0].height;
    data.width = images[0].width;
  }
  for (std::size_t i = 0; i < images.size(); ++i) {
    const auto& image = images[i];
    const auto& mask = masks[i];
    // A hand-built Image or Mask whose vector disagrees with its own size says so first.
    if (image.pixels.size() != image.size())
      throw DataError(std::string(where) + ": image " + std::to_string(i) + " holds " +
                      std::to_string(image.pixels.size()) + " values, not " +
                      std::to_string(image.channels) + "x" + std::to_string(image.height) + "x" +
                      std::to_string(image.width));
    if (mask.classes.size() != mask.height * mask.width)
      throw DataError(std::string(where) + ": mask " + std::to_string(i) + " holds " +
                      std::to_string(mask.classes.size()) + " values, not " +
                      std::to_string(mask.height) + "x" + std::to_string(mask.width));
    if (image.channels != data.channels || image.height != data.height || image.width != data.width)
      throw DataError(std::string(where) + ": image " + std::to_string(i) + " is " +
                      std::to_string(image.channels) + "x" + std::to_string(image.height) + "x" +
                      std::to_string(image.width) + ", image 0 is " +
                      std::to_string(data.channels) + "x" + std::to_string(data.height) + "x" +
                      std::to_string(data.width));
    if (mask.height != image.height || mask.width != image.width)
      throw DataError(std::string(where) + ": mask " + std::to_string(i) + " is " +
                      std::to_string(mask.height) + "x" + std::to_string(mask.width) +
                      ", its image " + std::to_string(image.height) + "x" +
                      std::to_string(image.width));
    data.images.insert(data.images.end(), image.pixels.begin(), image.pixels.end());
    data.masks.insert(data.masks.end(), mask.classes.begin(), mask.classes.end());
  }
  if (images.empty()) data.channels = data.height = data.width = 1;
  data.check(where);
  return data;
}

SegmentationDataset composite_scenes(const Dataset& items, const SceneOptions& options) {
  const std::string where = "composite_scenes";
  items.check(where);
  if (items.size() == 0) throw DataError(where + ": no items to compose scenes of");
  if (items.channels != 1)
    throw DataError(where + ": items of " + std::to_string(items.channels) +
                    " channels (grey items, 1 channel, are composed)");
  if (items.height > options.size || items.width > options.size)
    throw DataError(where + ": items of " + std::to_string(items.height) + "x" +
                    std::to_string(items.width) + " do not fit a canvas of " +
                    std::to_string(options.size) + "x" + std::to_string(options.size));
  if (options.max_items == 0 || options.min_items > options.max_items)
    throw DataError(where + ": " + std::to_string(options.min_items) + " to " +
                    std::to_string(options.max_items) + " items per scene (need 1 <= min <= max)");
  const std::size_t side = options.size, plane = side * side;
  SegmentationDataset scenes{1, side, side, items.classes + 1, {}, {}};
  scenes.images.assign(options.count * plane, 0.0f);
  scenes.masks.assign(options.count * plane, 0);
  // Draws are made in a fixed order from one generator: the seed decides every scene.
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<std::size_t> how_many(options.min_items, options.max_items);
  std::uniform_int_distribution<std::size_t> which(0, items.size() - 1);
  std::uniform_int_distribution<std::size_t> row(0, side - items.height);
  std::uniform_int_distribution<std::size_t> column(0, side - items.width);
  for (std::size_t s = 0; s < options.count; ++s) {
    float* canvas = scenes.images.data() + s * plane;
    int* mask = scenes.masks.data() + s * plane;
    const std::size_t count = how_many(rng);
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t item = which(rng), top = row(rng), left = column(rng);
      const auto pixels = items.image(item);
      const int label = items.labels[item] + 1;
      for (std::size_t y = 0; y < items.height; ++y)
        for (std::size_t x = 0; x < items.width; ++x) {
          const float v = pixels[y * items.width + x];
          if (!(v > options.threshold)) continue;
          canvas[(top + y) * side + left + x] = v;
          mask[(top + y) * side + left + x] = label;
        }
    }
  }
  return scenes;
}

}  // namespace typenet::data
