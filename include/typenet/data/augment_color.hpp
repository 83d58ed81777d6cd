// Augmentations that change values, not places: brightness and contrast jitter and Cutout.
// Images are C x H x W, float or double; a mask passed along stays as it is. Compiled once, in
// src/data/augment_color.cpp. Every function throws std::invalid_argument naming itself and the
// bad value.
#pragma once

#include <cstddef>
#include <random>
#include <span>

namespace typenet::data::augment {

// Multiplies every value by `factor` (torchvision.transforms.functional.adjust_brightness:
// a blend with a black image), clamped to [0, 1] if `clamp` (torchvision clamps float images;
// normalised images, as fit hands over, must not be). Throws for a factor < 0 or not finite.
void adjust_brightness(std::span<float> image, double factor, bool clamp = false);
void adjust_brightness(std::span<double> image, double factor, bool clamp = false);

// Blends every value with the image's mean grey level m: factor * v + (1 - factor) * m
// (torchvision's adjust_contrast; m is the mean of 0.299 R + 0.587 G + 0.114 B for 3 channels,
// of all values otherwise), clamped to [0, 1] if `clamp`. Throws for a factor < 0 or not
// finite, or an image that is not `channels` planes.
void adjust_contrast(std::span<float> image, std::size_t channels, double factor,
                     bool clamp = false);
void adjust_contrast(std::span<double> image, std::size_t channels, double factor,
                     bool clamp = false);

// Random brightness and contrast, as torchvision's ColorJitter(brightness, contrast): factors
// uniform in [max(0, 1 - brightness), 1 + brightness] and [max(0, 1 - contrast),
// 1 + contrast], applied in a random order; 0 leaves that one out. Draws the order, then each
// factor in use. Throws std::invalid_argument, naming ColorJitter and the value, for a negative
// or non-finite brightness or contrast.
struct ColorJitter {
  double brightness = 0.4, contrast = 0.4;
  std::size_t channels = 1;
  bool clamp = false;  // to [0, 1], for images not normalised
  void operator()(std::span<float> image, std::mt19937_64& rng) const;
  void operator()(std::span<double> image, std::mt19937_64& rng) const;
  void operator()(std::span<float> image, std::span<int>, std::mt19937_64& rng) const {
    (*this)(image, rng);
  }
  void operator()(std::span<double> image, std::span<int>, std::mt19937_64& rng) const {
    (*this)(image, rng);
  }
};

// Cutout (DeVries & Taylor 2017, "Improved Regularization of Convolutional Neural Networks
// with Cutout", arXiv:1708.04552): with probability p, `holes` squares of size x size pixels,
// each centred on a uniformly drawn pixel and clipped at the border (so a square near it is
// smaller), are set to `fill` in every channel (0: the mean of normalised images, as in the
// paper). Throws std::invalid_argument, naming Cutout and the value, for a size of 0 or p not
// in [0, 1].
struct Cutout {
  std::size_t height, width, size;
  std::size_t channels = 1, holes = 1;
  double p = 1;
  float fill = 0;
  void operator()(std::span<float> image, std::mt19937_64& rng) const;
  void operator()(std::span<double> image, std::mt19937_64& rng) const;
  void operator()(std::span<float> image, std::span<int>, std::mt19937_64& rng) const {
    (*this)(image, rng);
  }
  void operator()(std::span<double> image, std::span<int>, std::mt19937_64& rng) const {
    (*this)(image, rng);
  }
};

}  // namespace typenet::data::augment
