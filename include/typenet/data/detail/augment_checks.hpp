// The checks every augmentation (data/augment*.hpp) makes before it touches an image: one told
// the wrong image shape would write outside the image, one given an impossible parameter would
// draw from an undefined distribution. Each throws std::invalid_argument naming the
// augmentation, the value and the rule.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

namespace typenet::data::augment::detail {

inline void require_shape(std::size_t size, std::size_t channels, std::size_t height,
                          std::size_t width, const char* augmentation) {
  if (channels == 0 || height == 0 || width == 0 || size / channels / height != width ||
      size != channels * height * width)
    throw std::invalid_argument(
        std::string(augmentation) + ": an image of " + std::to_string(size) + " values is not " +
        std::to_string(channels) + " x " + std::to_string(height) + " x " + std::to_string(width) +
        " (channels x height x width, as the augmentation was told)");
}

// A mask must be the image's height x width.
inline void require_mask(std::span<int> mask, std::size_t height, std::size_t width,
                         const char* augmentation) {
  if (mask.size() != height * width)
    throw std::invalid_argument(std::string(augmentation) + ": a mask of " +
                                std::to_string(mask.size()) + " values is not " +
                                std::to_string(height) + " x " + std::to_string(width) +
                                " (the image's height x width)");
}

// "augmentation: what rule", e.g. "Cutout: p = -0.5 is not a probability in [0, 1]". Callers
// test first and build the message only then: augmenting allocates nothing per image.
[[noreturn]] inline void fail(const char* augmentation, const std::string& what, const char* rule) {
  throw std::invalid_argument(std::string(augmentation) + ": " + what + " " + rule);
}

// A number as a message shows it: 0.5, not 0.500000.
inline std::string number(double value) {
  std::string text = std::to_string(value);
  if (text.find('.') != std::string::npos && std::isfinite(value)) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

inline void require_probability(double p, const char* augmentation) {
  if (!(p >= 0 && p <= 1)) fail(augmentation, "p = " + number(p), "is not a probability in [0, 1]");
}

// "name [low, high]", for a message about a range to draw from.
inline std::string range(const char* name, double low, double high) {
  return std::string(name) + " [" + number(low) + ", " + number(high) + "]";
}

// The height and width of a flip: given, or a square's side from the image's size.
inline std::pair<std::size_t, std::size_t> flip_size(std::size_t size, std::size_t channels,
                                                     std::size_t height, std::size_t width) {
  if (width == 0 && channels > 0) {
    const std::size_t plane = size / channels;
    width = height = std::size_t(std::lround(std::sqrt(double(plane))));
  }
  return {height, width};
}

}  // namespace typenet::data::augment::detail
