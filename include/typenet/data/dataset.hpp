// Datasets in memory: images as float C x H x W samples (NCHW, like tensors), integer labels.
//
//   auto fm = tn::data::fashion_mnist();                 // Debian's dataset-fashion-mnist
//   auto [train, val] = tn::data::split(fm.train, 0.9, /*seed=*/42);
//   tn::data::Normalizer norm = tn::data::Normalizer::fit(train);  // mean/std of the train split
//   norm.apply(train); norm.apply(val); norm.apply(fm.test);
//
// Readers check magic numbers, sizes and truncation and throw tn::data::DataError naming the
// file and what is wrong. The readers are compiled once, in src/data/dataset.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace typenet::data {

class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Dataset {
  std::size_t channels = 0, height = 0, width = 0;
  std::size_t classes = 0;
  std::vector<float> images;  // size() * sample_size(), sample-major
  std::vector<int> labels;    // one per sample, in [0, classes)

  // A dataset from arrays already in memory: `images` holds labels.size() samples of
  // channels x height x width floats, sample after sample. Checks the sizes and the labels.
  static Dataset from_arrays(std::vector<float> images, std::vector<int> labels,
                             std::size_t channels, std::size_t height, std::size_t width,
                             std::size_t classes);

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

// One IDX file (the MNIST format): big-endian magic 0x000008TT 0xDD with type TT (only 0x08,
// unsigned bytes, is used by (Fashion-)MNIST) and DD dimensions, then the dimensions, then the
// data. Plain or gzip-compressed.
struct IdxFile {
  std::vector<std::size_t> dims;
  std::vector<std::uint8_t> values;
};
IdxFile read_idx(const std::filesystem::path& path);

// Images (N x H x W bytes) and labels (N bytes) into a dataset scaled to [0, 1], 1 channel.
Dataset load_idx(const std::filesystem::path& images, const std::filesystem::path& labels,
                 std::size_t classes = 10);

struct TrainTest {
  Dataset train;
  Dataset test;
};
// The directory Debian's dataset-fashion-mnist installs into.
inline const std::filesystem::path fashion_mnist_directory = "/usr/share/datasets/fashion-mnist";
TrainTest fashion_mnist(const std::filesystem::path& directory = fashion_mnist_directory);
// The same files for MNIST (any directory holding train-/t10k-{images-idx3,labels-idx1}-ubyte).
TrainTest mnist(const std::filesystem::path& directory);

// CIFAR-10 / CIFAR-100 binary batches: per record 1 (or 2 for CIFAR-100: coarse, fine) label
// bytes and 3 x 32 x 32 image bytes. `labels_per_record` 1 for CIFAR-10, 2 for CIFAR-100 (the
// fine label is used).
Dataset read_cifar(const std::vector<std::filesystem::path>& files, std::size_t classes = 10,
                   std::size_t labels_per_record = 1);

// A small tabular set: rows of numbers, the label in column `label_column` (an integer class),
// the other columns the features (1 x 1 x F samples). A first line that does not parse as
// numbers is taken as a header.
Dataset read_csv(const std::filesystem::path& path, std::size_t label_column);

// Shuffled split: the first `fraction` of a seeded permutation, and the rest.
std::pair<Dataset, Dataset> split(const Dataset& data, double fraction, std::uint64_t seed);

// Zero padding around every image (28x28 -> 32x32 for LeNet-5 with pad = 2).
Dataset pad(const Dataset& data, std::size_t pad);

// Per-channel standardisation with statistics of one split, applied to any.
struct Normalizer {
  std::vector<float> mean, stddev;
  static Normalizer fit(const Dataset& data);
  void apply(Dataset& data) const;
};

// One-hot rows (size() x classes) of the labels.
std::vector<float> one_hot(const Dataset& data);

}  // namespace typenet::data
