// Datasets in memory: images as float C x H x W samples (NCHW, like tensors), integer labels.
//
//   auto fm = tn::data::fashion_mnist();                 // Debian's dataset-fashion-mnist
//   auto [train, val] = tn::data::split(fm.train, 0.9, /*seed=*/42);
//   tn::data::Normalizer norm = tn::data::Normalizer::fit(train);  // mean/std of the train split
//   norm.apply(train); norm.apply(val); norm.apply(fm.test);
//
// The readers are in idx.hpp (IDX: (Fashion-)MNIST), cifar.hpp and csv.hpp. Every reader reads
// a header before the data it promises, never more than `max_file_bytes` from one file, checks
// magic numbers, sizes, truncation and trailing bytes, and throws tn::data::DataError naming the
// file (and for CSV the line and column) and what is wrong; every dataset a reader returns has
// passed `Dataset::check`. Compiled once, in src/data/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace typenet::data {

// Every error of a reader, of a dataset's check, of the normaliser: a sentence naming the file
// or the function, and what is wrong.
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// More classes than this is taken for a mistake (a label column that holds something else, a
// corrupt label byte): one-hot rows and the confusion matrix are size() x classes.
inline constexpr std::size_t max_classes = 100'000;
namespace detail {
// The checks Dataset::check and SegmentationDataset::check share (src/data/dataset.cpp), each
// throwing DataError led by `where`: a sample shape with no zero dimension and no overflow
// (returns channels * height * width), and a class count in [1, max_classes].
std::size_t check_sample_shape(const std::string& where, std::size_t channels, std::size_t height,
                               std::size_t width);
void check_class_count(const std::string& where, std::size_t classes);
}  // namespace detail

// No reader takes more than this many bytes from one file (after gzip decompression): a file
// whose header promises more, or that goes on past it, is an error before it is all read.
inline constexpr std::uint64_t max_file_bytes = std::uint64_t(4) << 30;  // 4 GiB

struct SegmentationDataset;  // segmentation.hpp: images with a mask per sample

struct Dataset {
  std::size_t channels = 0, height = 0, width = 0;
  std::size_t classes = 0;
  std::vector<float> images;  // size() * sample_size(), sample-major
  std::vector<int> labels;    // one per sample, in [0, classes)

  // A dataset from arrays already in memory: `images` holds labels.size() samples of
  // channels x height x width floats, sample after sample. Throws DataError as `check` does.
  static Dataset from_arrays(std::vector<float> images, std::vector<int> labels,
                             std::size_t channels, std::size_t height, std::size_t width,
                             std::size_t classes);

  // The invariants the fields (which are public) must keep: no sample dimension is 0, images
  // holds exactly size() * sample_size() values, 1 <= classes <= max_classes, and every label is
  // in [0, classes). Throws DataError with a sentence that starts with `where` (the caller's
  // name) and names the row of a bad label. An empty dataset passes.
  void check(std::string_view where) const;

  std::size_t size() const { return labels.size(); }
  std::size_t sample_size() const { return channels * height * width; }
  std::span<const float> image(std::size_t i) const {
    return {images.data() + i * sample_size(), sample_size()};
  }
  std::span<float> image(std::size_t i) {
    return {images.data() + i * sample_size(), sample_size()};
  }
  // The samples at the given indices, in that order.
  Dataset subset(std::span<const std::size_t> indices) const;
  // The first n samples (all if n >= size()).
  Dataset head(std::size_t n) const;
};

// Shuffled split: the first `fraction` of a seeded permutation, and the rest. The first part
// holds split_size(data.size(), fraction) samples. Throws std::invalid_argument for a fraction
// outside [0, 1].
std::pair<Dataset, Dataset> split(const Dataset& data, double fraction, std::uint64_t seed);
// The size of split's first part for `samples` samples: fraction * samples rounded to the
// nearest whole sample, halves up (std::llround): 55/60 of 6 is 5.5, so 6, and the rest is empty.
std::size_t split_size(std::size_t samples, double fraction);

// Zero padding around every image (28x28 -> 32x32 for LeNet-5 with pad = 2). Throws DataError
// for a broken dataset (Dataset::check), a border above 32,768 pixels, or a result above
// max_file_bytes values.
Dataset pad(const Dataset& data, std::size_t pad);

// Per-channel standardisation with statistics of one split, applied to any.
struct Normalizer {
  std::vector<float> mean, stddev;  // one per channel
  // Throws DataError for an empty dataset, a NaN or infinite value (naming its sample and
  // channel), or one that fails `Dataset::check`.
  static Normalizer fit(const Dataset& data);
  // Throws DataError when `data` has another channel count than the data it was fitted on.
  void apply(Dataset& data) const;
  // The same for segmentation data: the images are standardised, the masks stay as they are.
  static Normalizer fit(const SegmentationDataset& data);
  void apply(SegmentationDataset& data) const;
};

// One-hot rows (size() x classes) of the labels. Throws DataError as `Dataset::check` does.
std::vector<float> one_hot(const Dataset& data);

}  // namespace typenet::data
