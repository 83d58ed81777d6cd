// Seeded augmentations for fit's `augment` option: each takes one C x H x W image (as fit hands
// it over, already normalised) and the run's generator, and changes the image in place. An
// image whose size is not the channels x height x width the augmentation was given throws
// std::invalid_argument.
//
//   .augment = tn::data::augment::chain(tn::data::augment::HorizontalFlip{},
//                                       tn::data::augment::RandomCrop{32, 32, 4})
//
// For segmentation each also takes (image, mask, rng): the H x W mask of class indices moves
// with the image, by the same random draw (pixels uncovered in the mask get `mask_fill`);
// RandomAffine resamples the image bilinearly and the mask by nearest neighbour.
//
// Every augmentation takes float and double images alike (fit hands over float ones). More of
// them, and the deterministic transforms they draw, are in augment_geometry.hpp (affine,
// RandomResizedCrop, LensDistortion) and augment_color.hpp (ColorJitter, Cutout).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "typenet/data/augment_color.hpp"
#include "typenet/data/augment_geometry.hpp"
#include "typenet/data/detail/augment_checks.hpp"

namespace typenet::data::augment {

// Mirrors the image left-right with probability p.
struct HorizontalFlip {
  double p = 0.5;
  std::size_t channels = 1, height = 0, width = 0;  // 0: square images, side from the size
  void operator()(std::span<float> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<double> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }
  void operator()(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }

 private:
  template <class T>
  void apply(std::span<T> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// Mirrors the image top-bottom with probability p.
struct VerticalFlip {
  double p = 0.5;
  std::size_t channels = 1, height = 0, width = 0;
  void operator()(std::span<float> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<double> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }
  void operator()(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }

 private:
  template <class T>
  void apply(std::span<T> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// Pads by `pad` zeros on each side and crops a random height x width window back out (the
// CIFAR recipe).
struct RandomCrop {
  std::size_t height, width, pad;
  std::size_t channels = 1;
  int mask_fill = 0;  // the class of a mask's padding (background, or a loss's ignore_index)
  void operator()(std::span<float> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<double> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }
  void operator()(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }

 private:
  template <class T>
  void apply(std::span<T> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// Shifts the image by up to `shift` pixels in each direction, filling with `fill`.
struct Translate {
  std::size_t height, width, shift;
  std::size_t channels = 1;
  float fill = 0;
  int mask_fill = 0;
  void operator()(std::span<float> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<double> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }
  void operator()(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }

 private:
  template <class T>
  void apply(std::span<T> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// A random affine transform about the image centre (torchvision's RandomAffine(degrees,
// translate, scale, shear)): a rotation by an angle in [-degrees, degrees] (counter-clockwise
// when positive), a scale in [min_scale, max_scale] (drawn once, or per axis, x then y, when
// `per_axis_scale`: stretching), shears in [-shear_x, shear_x] and [-shear_y, shear_y] degrees,
// and a shift of up to translate_x * width and translate_y * height pixels (rounded, as
// torchvision does); the shears and shifts are drawn only when non-zero. The transform is
// augment::affine's (augment_geometry.hpp): the image is sampled bilinearly, the mask (if any)
// at the nearest pixel, and what comes from outside the image is `fill` (image) and
// `mask_fill` (mask). Throws std::invalid_argument, naming RandomAffine and the value, for
// degrees < 0, scales not 0 < min <= max, shears not in [0, 90), translations not in [0, 1].
struct RandomAffine {
  std::size_t height, width;
  double degrees = 15, min_scale = 0.9, max_scale = 1.1;
  std::size_t channels = 1;
  float fill = 0;
  int mask_fill = 0;
  bool per_axis_scale = false;
  double shear_x = 0, shear_y = 0;          // degrees
  double translate_x = 0, translate_y = 0;  // fractions of the width and height
  void operator()(std::span<float> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<double> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }
  void operator()(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }
  // The transform a call draws (and nothing else of the generator).
  AffineTransform draw(std::mt19937_64& rng) const;

 private:
  void apply(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const;
  void apply(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// Adds N(0, stddev^2) noise to every value.
struct GaussianNoise {
  double stddev = 0.1;
  void operator()(std::span<float> image, std::mt19937_64& rng) const { add(image, rng); }
  void operator()(std::span<double> image, std::mt19937_64& rng) const { add(image, rng); }
  // The mask stays as it is: noise moves no pixel.
  void operator()(std::span<float> image, std::span<int>, std::mt19937_64& rng) const {
    add(image, rng);
  }
  void operator()(std::span<double> image, std::span<int>, std::mt19937_64& rng) const {
    add(image, rng);
  }

 private:
  template <class T>
  void add(std::span<T> image, std::mt19937_64& rng) const {
    if (!(std::isfinite(stddev) && stddev >= 0))
      detail::fail("GaussianNoise", "stddev = " + detail::number(stddev), "is not finite and >= 0");
    if (stddev == 0) return;  // normal_distribution needs a positive deviation
    std::normal_distribution<T> noise(T(0), T(stddev));
    for (auto& v : image) v += noise(rng);
  }
};

namespace detail {
// Moves the image by (dy, dx), filling uncovered pixels with `fill`.
template <class V>
void shift_image(std::span<V> image, std::size_t channels, std::size_t height, std::size_t width,
                 std::ptrdiff_t dy, std::ptrdiff_t dx, V fill) {
  // Reused per thread: augmenting allocates only when an image is larger than any before.
  thread_local std::vector<V> copy;
  copy.assign(image.begin(), image.end());
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t y = 0; y < height; ++y)
      for (std::size_t x = 0; x < width; ++x) {
        const std::ptrdiff_t sy = std::ptrdiff_t(y) - dy, sx = std::ptrdiff_t(x) - dx;
        const bool inside =
            sy >= 0 && sx >= 0 && sy < std::ptrdiff_t(height) && sx < std::ptrdiff_t(width);
        image[(c * height + y) * width + x] =
            inside ? copy[(c * height + std::size_t(sy)) * width + std::size_t(sx)] : fill;
      }
}
template <class V>
void mirror_rows(std::span<V> values, std::size_t rows, std::size_t width) {
  for (std::size_t row = 0; row < rows; ++row)
    std::reverse(values.begin() + std::ptrdiff_t(row * width),
                 values.begin() + std::ptrdiff_t((row + 1) * width));
}

template <class V>
void mirror_columns(std::span<V> values, std::size_t planes, std::size_t height,
                    std::size_t width) {
  for (std::size_t c = 0; c < planes; ++c)
    for (std::size_t y = 0; y < height / 2; ++y)
      std::swap_ranges(values.begin() + std::ptrdiff_t((c * height + y) * width),
                       values.begin() + std::ptrdiff_t((c * height + y + 1) * width),
                       values.begin() + std::ptrdiff_t((c * height + height - 1 - y) * width));
}
}  // namespace detail

template <class T>
void HorizontalFlip::apply(std::span<T> image, std::span<int> mask, std::mt19937_64& rng) const {
  detail::require_probability(p, "HorizontalFlip");
  const auto [h, w] = detail::flip_size(image.size(), channels, height, width);
  detail::require_shape(image.size(), channels, h, w, "HorizontalFlip");
  if (mask.data() != nullptr) detail::require_mask(mask, h, w, "HorizontalFlip");
  if (!std::bernoulli_distribution(p)(rng)) return;
  detail::mirror_rows(image, channels * h, w);
  if (mask.data() != nullptr) detail::mirror_rows(mask, h, w);
}

template <class T>
void VerticalFlip::apply(std::span<T> image, std::span<int> mask, std::mt19937_64& rng) const {
  detail::require_probability(p, "VerticalFlip");
  const auto [h, w] = detail::flip_size(image.size(), channels, height, width);
  detail::require_shape(image.size(), channels, h, w, "VerticalFlip");
  if (mask.data() != nullptr) detail::require_mask(mask, h, w, "VerticalFlip");
  if (!std::bernoulli_distribution(p)(rng)) return;
  detail::mirror_columns(image, channels, h, w);
  if (mask.data() != nullptr) detail::mirror_columns(mask, 1, h, w);
}

// Cropping height x width out of the zero-padded image = shifting by up to pad pixels.
template <class T>
void RandomCrop::apply(std::span<T> image, std::span<int> mask, std::mt19937_64& rng) const {
  detail::require_shape(image.size(), channels, height, width, "RandomCrop");
  if (mask.data() != nullptr) detail::require_mask(mask, height, width, "RandomCrop");
  std::uniform_int_distribution<std::ptrdiff_t> offset(-std::ptrdiff_t(pad), std::ptrdiff_t(pad));
  const std::ptrdiff_t dy = offset(rng), dx = offset(rng);
  detail::shift_image(image, channels, height, width, dy, dx, T(0));
  if (mask.data() != nullptr) detail::shift_image(mask, 1, height, width, dy, dx, mask_fill);
}

template <class T>
void Translate::apply(std::span<T> image, std::span<int> mask, std::mt19937_64& rng) const {
  detail::require_shape(image.size(), channels, height, width, "Translate");
  if (mask.data() != nullptr) detail::require_mask(mask, height, width, "Translate");
  std::uniform_int_distribution<std::ptrdiff_t> offset(-std::ptrdiff_t(shift),
                                                       std::ptrdiff_t(shift));
  const std::ptrdiff_t dy = offset(rng), dx = offset(rng);
  detail::shift_image(image, channels, height, width, dy, dx, T(fill));
  if (mask.data() != nullptr) detail::shift_image(mask, 1, height, width, dy, dx, mask_fill);
}

// Applies each augmentation in turn, to an image or to an image and its mask.
template <class... A>
struct Chain {
  std::tuple<A...> steps;
  void operator()(std::span<float> image, std::mt19937_64& rng) const {
    std::apply([&](const auto&... step) { (step(image, rng), ...); }, steps);
  }
  void operator()(std::span<double> image, std::mt19937_64& rng) const {
    std::apply([&](const auto&... step) { (step(image, rng), ...); }, steps);
  }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    std::apply([&](const auto&... step) { (step(image, mask, rng), ...); }, steps);
  }
  void operator()(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const {
    std::apply([&](const auto&... step) { (step(image, mask, rng), ...); }, steps);
  }
};
template <class... A>
Chain<A...> chain(A... augmentations) {
  return {{augmentations...}};
}

}  // namespace typenet::data::augment
