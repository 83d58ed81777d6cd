// What every fuzz harness asserts about an input a reader accepted: the dataset passes its own
// check, and its sizes, labels and values are what the format promises. A failed assertion
// aborts, which libFuzzer reports as a crash with the input that caused it.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "typenet/data/dataset.hpp"

namespace typenet_fuzz {

inline void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

// `rows` samples of channels x height x width, every value finite and, for byte formats, in
// [0, 1]. check() must not throw: an uncaught exception aborts too.
inline void require_dataset(const typenet::data::Dataset& data, std::size_t rows,
                            std::size_t channels, std::size_t height, std::size_t width,
                            bool unit_interval) {
  data.check("fuzz");
  require(data.size() == rows, "the row count");
  require(data.channels == channels && data.height == height && data.width == width, "the shape");
  require(data.images.size() == rows * channels * height * width, "the image array's size");
  require(data.classes >= 1 && data.classes <= typenet::data::max_classes, "the class count");
  for (int label : data.labels)
    require(label >= 0 && std::size_t(label) < data.classes, "a label in [0, classes)");
  for (float value : data.images) {
    require(std::isfinite(value), "a finite value");
    if (unit_interval) require(value >= 0 && value <= 1, "a byte scaled to [0, 1]");
  }
}

}  // namespace typenet_fuzz
