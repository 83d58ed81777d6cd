// Seeded augmentations for fit's `augment` option: each takes one C x H x W image (as fit hands
// it over, already normalised) and the run's generator, and changes the image in place. An
// image whose size is not the channels x height x width the augmentation was given throws
// std::invalid_argument.
//
//   .augment = tn::data::augment::chain(tn::data::augment::HorizontalFlip{},
//                                       tn::data::augment::RandomCrop{32, 32, 4})
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace typenet::data::augment {

// Mirrors the image left-right with probability p.
struct HorizontalFlip {
  double p = 0.5;
  std::size_t channels = 1, height = 0, width = 0;  // 0: square images, side from the size
  void operator()(std::span<float> image, std::mt19937_64& rng) const;
};

// Pads by `pad` zeros on each side and crops a random height x width window back out (the
// CIFAR recipe).
struct RandomCrop {
  std::size_t height, width, pad;
  std::size_t channels = 1;
  void operator()(std::span<float> image, std::mt19937_64& rng) const;
};

// Shifts the image by up to `shift` pixels in each direction, filling with `fill`.
struct Translate {
  std::size_t height, width, shift;
  std::size_t channels = 1;
  float fill = 0;
  void operator()(std::span<float> image, std::mt19937_64& rng) const;
};

// Adds N(0, stddev^2) noise to every value.
struct GaussianNoise {
  double stddev = 0.1;
  void operator()(std::span<float> image, std::mt19937_64& rng) const {
    std::normal_distribution<float> noise(0.0f, float(stddev));
    for (auto& v : image) v += noise(rng);
  }
};

namespace detail {
// An augmentation told the wrong image shape would write outside the image: a sentence instead.
inline void require_shape(std::span<float> image, std::size_t channels, std::size_t height,
                          std::size_t width, const char* augmentation) {
  if (channels == 0 || height == 0 || width == 0 || image.size() / channels / height != width ||
      image.size() != channels * height * width)
    throw std::invalid_argument(
        std::string(augmentation) + ": an image of " + std::to_string(image.size()) +
        " values is not " + std::to_string(channels) + " x " + std::to_string(height) + " x " +
        std::to_string(width) + " (channels x height x width, as the augmentation was told)");
}

// Moves the image by (dy, dx), filling uncovered pixels with `fill`.
inline void shift_image(std::span<float> image, std::size_t channels, std::size_t height,
                        std::size_t width, std::ptrdiff_t dy, std::ptrdiff_t dx, float fill) {
  // Reused per thread: augmenting allocates only when an image is larger than any before.
  thread_local std::vector<float> copy;
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
}  // namespace detail

inline void HorizontalFlip::operator()(std::span<float> image, std::mt19937_64& rng) const {
  std::size_t h = height, w = width;
  if (w == 0 && channels > 0) {
    const std::size_t plane = image.size() / channels;
    w = h = std::size_t(std::lround(std::sqrt(double(plane))));
  }
  detail::require_shape(image, channels, h, w, "HorizontalFlip");
  if (!std::bernoulli_distribution(p)(rng)) return;
  for (std::size_t row = 0; row < channels * h; ++row)
    std::reverse(image.begin() + std::ptrdiff_t(row * w),
                 image.begin() + std::ptrdiff_t((row + 1) * w));
}

inline void RandomCrop::operator()(std::span<float> image, std::mt19937_64& rng) const {
  // Cropping height x width out of the zero-padded image = shifting by up to pad pixels.
  detail::require_shape(image, channels, height, width, "RandomCrop");
  std::uniform_int_distribution<std::ptrdiff_t> offset(-std::ptrdiff_t(pad), std::ptrdiff_t(pad));
  const std::ptrdiff_t dy = offset(rng), dx = offset(rng);
  detail::shift_image(image, channels, height, width, dy, dx, 0.0f);
}

inline void Translate::operator()(std::span<float> image, std::mt19937_64& rng) const {
  detail::require_shape(image, channels, height, width, "Translate");
  std::uniform_int_distribution<std::ptrdiff_t> offset(-std::ptrdiff_t(shift),
                                                       std::ptrdiff_t(shift));
  const std::ptrdiff_t dy = offset(rng), dx = offset(rng);
  detail::shift_image(image, channels, height, width, dy, dx, fill);
}

// Applies each augmentation in turn.
template <class... A>
auto chain(A... augmentations) {
  return [=](std::span<float> image, std::mt19937_64& rng) { (augmentations(image, rng), ...); };
}

}  // namespace typenet::data::augment
