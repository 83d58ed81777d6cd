// Datasets: the invariants, transformations, normalisation. The readers are in idx.cpp,
// cifar.cpp and csv.cpp.
#include "typenet/data/dataset.hpp"

#include "typenet/data/segmentation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace typenet::data {

namespace detail {
std::size_t check_sample_shape(const std::string& at, std::size_t channels, std::size_t height,
                               std::size_t width) {
  const std::string shape =
      std::to_string(channels) + "x" + std::to_string(height) + "x" + std::to_string(width);
  if (channels == 0 || height == 0 || width == 0)
    throw DataError(at + ": samples of " + shape + " (a sample dimension is 0)");
  std::size_t sample = 0;
  if (__builtin_mul_overflow(channels, height, &sample) ||
      __builtin_mul_overflow(sample, width, &sample))
    throw DataError(at + ": samples of " + shape + " have more values than a size_t counts");
  return sample;
}

void check_class_count(const std::string& at, std::size_t classes) {
  if (classes == 0) throw DataError(at + ": 0 classes (a dataset needs at least one)");
  if (classes > max_classes)
    throw DataError(at + ": " + std::to_string(classes) + " classes is more than the " +
                    std::to_string(max_classes) +
                    " a dataset may have (typenet::data::max_classes)");
}
}  // namespace detail

void Dataset::check(std::string_view where) const {
  const std::string at(where);
  const std::size_t sample = detail::check_sample_shape(at, channels, height, width);
  std::size_t expected = 0;
  if (__builtin_mul_overflow(size(), sample, &expected) || images.size() != expected)
    throw DataError(at + ": " + std::to_string(images.size()) + " values for " +
                    std::to_string(size()) + " samples of " + std::to_string(channels) + "x" +
                    std::to_string(height) + "x" + std::to_string(width) +
                    " (images must hold size() * sample_size() values)");
  detail::check_class_count(at, classes);
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] < 0 || std::size_t(labels[i]) >= classes)
      throw DataError(at + ": label " + std::to_string(labels[i]) + " of row " + std::to_string(i) +
                      " is not in [0, " + std::to_string(classes) + ")");
}

Dataset Dataset::from_arrays(std::vector<float> images, std::vector<int> labels,
                             std::size_t channels, std::size_t height, std::size_t width,
                             std::size_t classes) {
  Dataset data;
  data.channels = channels;
  data.height = height;
  data.width = width;
  data.classes = classes;
  data.images = std::move(images);
  data.labels = std::move(labels);
  // Whole samples, but not one per label: the labels are what is short or long.
  const std::size_t sample =
      detail::check_sample_shape("Dataset::from_arrays", channels, height, width);
  if (data.images.size() % sample == 0 && data.images.size() / sample != data.labels.size())
    throw DataError("Dataset::from_arrays: " + std::to_string(data.labels.size()) +
                    " labels, but images holds " + std::to_string(data.images.size() / sample) +
                    " samples of " + std::to_string(channels) + "x" + std::to_string(height) + "x" +
                    std::to_string(width) + " (" + std::to_string(data.images.size()) +
                    " values): give one label per sample");
  data.check("Dataset::from_arrays");
  return data;
}

Dataset Dataset::subset(std::span<const std::size_t> indices) const {
  Dataset out;
  out.channels = channels;
  out.height = height;
  out.width = width;
  out.classes = classes;
  out.images.reserve(indices.size() * sample_size());
  out.labels.reserve(indices.size());
  for (std::size_t i : indices) {
    if (i >= size())
      throw std::out_of_range("Dataset::subset: index " + std::to_string(i) + " of a dataset of " +
                              std::to_string(size()));
    const auto sample = image(i);
    out.images.insert(out.images.end(), sample.begin(), sample.end());
    out.labels.push_back(labels[i]);
  }
  return out;
}

Dataset Dataset::head(std::size_t n) const {
  std::vector<std::size_t> indices(std::min(n, size()));
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  return subset(indices);
}

std::size_t split_size(std::size_t samples, double fraction) {
  if (!(fraction >= 0 && fraction <= 1))
    throw std::invalid_argument("data::split: the fraction " + std::to_string(fraction) +
                                " is not in [0, 1]");
  return std::size_t(std::llround(fraction * double(samples)));
}

std::pair<Dataset, Dataset> split(const Dataset& data, double fraction, std::uint64_t seed) {
  const std::size_t cut = split_size(data.size(), fraction);
  std::vector<std::size_t> order(data.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  return {data.subset(std::span(order).first(cut)), data.subset(std::span(order).subspan(cut))};
}

Dataset pad(const Dataset& data, std::size_t pad) {
  data.check("pad");
  // A border wider than any image side (a negative int turned size_t, say) would wrap around.
  constexpr std::size_t max_pad = std::size_t(1) << 15;
  if (pad > max_pad)
    throw DataError("pad: a border of " + std::to_string(pad) + " pixels is more than " +
                    std::to_string(max_pad) + " (a negative number passed as a size?)");
  std::size_t values = 0;
  if (__builtin_mul_overflow(data.size() * data.channels,
                             (data.height + 2 * pad) * (data.width + 2 * pad), &values) ||
      values > max_file_bytes)
    throw DataError("pad: " + std::to_string(data.size()) + " samples with a border of " +
                    std::to_string(pad) + " pixels would not fit in memory");
  Dataset out = data;
  out.height = data.height + 2 * pad;
  out.width = data.width + 2 * pad;
  out.images.assign(data.size() * out.sample_size(), 0.0f);
  for (std::size_t n = 0; n < data.size(); ++n)
    for (std::size_t c = 0; c < data.channels; ++c)
      for (std::size_t h = 0; h < data.height; ++h) {
        const float* from =
            data.images.data() + ((n * data.channels + c) * data.height + h) * data.width;
        float* to =
            out.images.data() + ((n * out.channels + c) * out.height + h + pad) * out.width + pad;
        std::copy(from, from + data.width, to);
      }
  return out;
}

namespace {
// Per-channel mean and standard deviation of `count` C x H x W images.
Normalizer fit_images(const std::vector<float>& images, std::size_t count, std::size_t channels,
                      std::size_t height, std::size_t width) {
  if (count == 0)
    throw DataError("Normalizer::fit: the dataset is empty (no values to take a mean of)");
  Normalizer n;
  const std::size_t plane = height * width;
  n.mean.assign(channels, 0);
  n.stddev.assign(channels, 0);
  for (std::size_t c = 0; c < channels; ++c) {
    double sum = 0, squares = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const float* p = images.data() + (i * channels + c) * plane;
      for (std::size_t k = 0; k < plane; ++k) {
        if (!std::isfinite(p[k]))
          throw DataError("Normalizer::fit: sample " + std::to_string(i) + ", channel " +
                          std::to_string(c) + ", pixel (" + std::to_string(k / width) + ", " +
                          std::to_string(k % width) + ") is " +
                          (std::isnan(p[k]) ? "NaN" : "infinite"));
        sum += p[k];
        squares += double(p[k]) * p[k];
      }
    }
    const double total = double(count * plane);
    const double mean = sum / total;
    n.mean[c] = float(mean);
    n.stddev[c] = float(std::sqrt(std::max(squares / total - mean * mean, 1e-12)));
  }
  return n;
}

void apply_images(const Normalizer& n, std::vector<float>& images, std::size_t count,
                  std::size_t channels, std::size_t plane) {
  if (n.mean.size() != channels || n.stddev.size() != channels)
    throw DataError("Normalizer::apply: fitted on " + std::to_string(n.mean.size()) +
                    " channels, the data has " + std::to_string(channels));
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t c = 0; c < channels; ++c) {
      float* p = images.data() + (i * channels + c) * plane;
      for (std::size_t k = 0; k < plane; ++k) p[k] = (p[k] - n.mean[c]) / n.stddev[c];
    }
}
}  // namespace

Normalizer Normalizer::fit(const Dataset& data) {
  data.check("Normalizer::fit");
  return fit_images(data.images, data.size(), data.channels, data.height, data.width);
}

void Normalizer::apply(Dataset& data) const {
  if (mean.size() != data.channels || stddev.size() != data.channels)
    apply_images(*this, data.images, 0, data.channels, 0);  // throws: the channels differ
  data.check("Normalizer::apply");
  apply_images(*this, data.images, data.size(), data.channels, data.height * data.width);
}

Normalizer Normalizer::fit(const SegmentationDataset& data) {
  data.check("Normalizer::fit");
  return fit_images(data.images, data.size(), data.channels, data.height, data.width);
}

void Normalizer::apply(SegmentationDataset& data) const {
  if (mean.size() != data.channels || stddev.size() != data.channels)
    apply_images(*this, data.images, 0, data.channels, 0);  // throws: the channels differ
  data.check("Normalizer::apply");
  apply_images(*this, data.images, data.size(), data.channels, data.pixels());
}

std::vector<float> one_hot(const Dataset& data) {
  data.check("one_hot");
  std::vector<float> rows(data.size() * data.classes, 0.0f);
  for (std::size_t i = 0; i < data.size(); ++i)
    rows[i * data.classes + std::size_t(data.labels[i])] = 1;
  return rows;
}

}  // namespace typenet::data
