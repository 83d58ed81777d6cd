// IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed; implemented in
// src/data/idx.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "typenet/data/dataset.hpp"

namespace typenet::data {

// One IDX file: big-endian magic 0x000008TT 0xDD with type TT (only 0x08, unsigned bytes, is used
// by (Fashion-)MNIST) and DD dimensions (1 to 4), then the dimensions, then the data.
struct IdxFile {
  std::vector<std::size_t> dims;     // none is 0
  std::vector<std::uint8_t> values;  // the product of dims, row-major
};
// Reads the header first and then exactly the values it promises (at most max_file_bytes), so
// a file that goes on past them (a gzip bomb, /dev/zero) is rejected without being read whole.
// Throws DataError naming the file: no such file, a directory or device, a bad magic number or
// type, a zero dimension, truncation, corrupt gzip data, bytes after the data.
IdxFile read_idx(const std::filesystem::path& path);

// Images (N x H x W bytes) and labels (N bytes) into a dataset scaled to [0, 1], 1 channel.
// Throws DataError as read_idx does, and for ranks other than 3 and 1, counts that differ, a
// label not below `classes`, or `classes` 0 or above max_classes.
Dataset load_idx(const std::filesystem::path& images, const std::filesystem::path& labels,
                 std::size_t classes = 10);

struct TrainTest {
  Dataset train;
  Dataset test;
};
// The directory Debian's dataset-fashion-mnist installs into.
inline const std::filesystem::path fashion_mnist_directory = "/usr/share/datasets/fashion-mnist";
// train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz] of a directory, as load_idx reads them.
TrainTest fashion_mnist(const std::filesystem::path& directory = fashion_mnist_directory);
// The same files for MNIST (any directory holding train-/t10k-{images-idx3,labels-idx1}-ubyte).
TrainTest mnist(const std::filesystem::path& directory);

}  // namespace typenet::data
