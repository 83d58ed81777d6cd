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

namespace typenet::data::augment {

// Mirrors the image left-right with probability p.
struct HorizontalFlip {
  double p = 0.5;
  std::size_t channels = 1, height = 0, width = 0;  // 0: square images, side from the size
  void operator()(std::span<float> image, std::mt19937_64& rng) const;
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// Mirrors the image top-bottom with probability p.
struct VerticalFlip {
  double p = 0.5;
  std::size_t channels = 1, height = 0, width = 0;
  void operator()(std::span<float> image, std::mt19937_64& rng) const;
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// Pads by `pad` zeros on each side and crops a random height x width window back out (the
// CIFAR recipe).
struct RandomCrop {
  std::size_t height, width, pad;
  std::size_t channels = 1;
  int mask_fill = 0;  // the class of a mask's padding (background, or a loss's ignore_index)
  void operator()(std::span<float> image, std::mt19937_64& rng) const;
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// Shifts the image by up to `shift` pixels in each direction, filling with `fill`.
struct Translate {
  std::size_t height, width, shift;
  std::size_t channels = 1;
  float fill = 0;
  int mask_fill = 0;
  void operator()(std::span<float> image, std::mt19937_64& rng) const;
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// A random rotation by up to +-degrees and scaling by a factor in [min_scale, max_scale] about
// the image centre (torchvision's RandomAffine(degrees, scale=...), without shear or
// translation). The image is sampled bilinearly, the mask (if any) at the nearest pixel; what
// comes from outside the image is `fill` (image) and `mask_fill` (mask).
struct RandomAffine {
  std::size_t height, width;
  double degrees = 15, min_scale = 0.9, max_scale = 1.1;
  std::size_t channels = 1;
  float fill = 0;
  int mask_fill = 0;
  void operator()(std::span<float> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }

 private:
  void apply(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// Adds N(0, stddev^2) noise to every value.
struct GaussianNoise {
  double stddev = 0.1;
  void operator()(std::span<float> image, std::mt19937_64& rng) const {
    std::normal_distribution<float> noise(0.0f, float(stddev));
    for (auto& v : image) v += noise(rng);
  }
  // The mask stays as it is: noise moves no pixel.
  void operator()(std::span<float> image, std::span<int>, std::mt19937_64& rng) const {
    (*this)(image, rng);
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

// A mask must be the image's height x width.
inline void require_mask(std::span<int> mask, std::size_t height, std::size_t width,
                         const char* augmentation) {
  if (mask.size() != height * width)
    throw std::invalid_argument(std::string(augmentation) + ": a mask of " +
                                std::to_string(mask.size()) + " values is not " +
                                std::to_string(height) + " x " + std::to_string(width) +
                                " (the image's height x width)");
}

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
// The height and width of a flip: given, or a square's side from the image's size.
inline std::pair<std::size_t, std::size_t> flip_size(std::span<float> image, std::size_t channels,
                                                     std::size_t height, std::size_t width) {
  if (width == 0 && channels > 0) {
    const std::size_t plane = image.size() / channels;
    width = height = std::size_t(std::lround(std::sqrt(double(plane))));
  }
  return {height, width};
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

inline void HorizontalFlip::operator()(std::span<float> image, std::mt19937_64& rng) const {
  const auto [h, w] = detail::flip_size(image, channels, height, width);
  detail::require_shape(image, channels, h, w, "HorizontalFlip");
  if (std::bernoulli_distribution(p)(rng)) detail::mirror_rows(image, channels * h, w);
}
inline void HorizontalFlip::operator()(std::span<float> image, std::span<int> mask,
                                       std::mt19937_64& rng) const {
  const auto [h, w] = detail::flip_size(image, channels, height, width);
  detail::require_shape(image, channels, h, w, "HorizontalFlip");
  detail::require_mask(mask, h, w, "HorizontalFlip");
  if (!std::bernoulli_distribution(p)(rng)) return;
  detail::mirror_rows(image, channels * h, w);
  detail::mirror_rows(mask, h, w);
}

inline void VerticalFlip::operator()(std::span<float> image, std::mt19937_64& rng) const {
  const auto [h, w] = detail::flip_size(image, channels, height, width);
  detail::require_shape(image, channels, h, w, "VerticalFlip");
  if (std::bernoulli_distribution(p)(rng)) detail::mirror_columns(image, channels, h, w);
}
inline void VerticalFlip::operator()(std::span<float> image, std::span<int> mask,
                                     std::mt19937_64& rng) const {
  const auto [h, w] = detail::flip_size(image, channels, height, width);
  detail::require_shape(image, channels, h, w, "VerticalFlip");
  detail::require_mask(mask, h, w, "VerticalFlip");
  if (!std::bernoulli_distribution(p)(rng)) return;
  detail::mirror_columns(image, channels, h, w);
  detail::mirror_columns(mask, 1, h, w);
}

inline void RandomCrop::operator()(std::span<float> image, std::mt19937_64& rng) const {
  // Cropping height x width out of the zero-padded image = shifting by up to pad pixels.
  detail::require_shape(image, channels, height, width, "RandomCrop");
  std::uniform_int_distribution<std::ptrdiff_t> offset(-std::ptrdiff_t(pad), std::ptrdiff_t(pad));
  const std::ptrdiff_t dy = offset(rng), dx = offset(rng);
  detail::shift_image(image, channels, height, width, dy, dx, 0.0f);
}
inline void RandomCrop::operator()(std::span<float> image, std::span<int> mask,
                                   std::mt19937_64& rng) const {
  detail::require_shape(image, channels, height, width, "RandomCrop");
  detail::require_mask(mask, height, width, "RandomCrop");
  std::uniform_int_distribution<std::ptrdiff_t> offset(-std::ptrdiff_t(pad), std::ptrdiff_t(pad));
  const std::ptrdiff_t dy = offset(rng), dx = offset(rng);
  detail::shift_image(image, channels, height, width, dy, dx, 0.0f);
  detail::shift_image(mask, 1, height, width, dy, dx, mask_fill);
}

inline void Translate::operator()(std::span<float> image, std::mt19937_64& rng) const {
  detail::require_shape(image, channels, height, width, "Translate");
  std::uniform_int_distribution<std::ptrdiff_t> offset(-std::ptrdiff_t(shift),
                                                       std::ptrdiff_t(shift));
  const std::ptrdiff_t dy = offset(rng), dx = offset(rng);
  detail::shift_image(image, channels, height, width, dy, dx, fill);
}
inline void Translate::operator()(std::span<float> image, std::span<int> mask,
                                  std::mt19937_64& rng) const {
  detail::require_shape(image, channels, height, width, "Translate");
  detail::require_mask(mask, height, width, "Translate");
  std::uniform_int_distribution<std::ptrdiff_t> offset(-std::ptrdiff_t(shift),
                                                       std::ptrdiff_t(shift));
  const std::ptrdiff_t dy = offset(rng), dx = offset(rng);
  detail::shift_image(image, channels, height, width, dy, dx, fill);
  detail::shift_image(mask, 1, height, width, dy, dx, mask_fill);
}

inline void RandomAffine::apply(std::span<float> image, std::span<int> mask,
                                std::mt19937_64& rng) const {
  detail::require_shape(image, channels, height, width, "RandomAffine");
  const bool joint = mask.data() != nullptr;
  if (joint) detail::require_mask(mask, height, width, "RandomAffine");
  if (!(min_scale > 0 && min_scale <= max_scale))
    throw std::invalid_argument("RandomAffine: the scales [" + std::to_string(min_scale) + ", " +
                                std::to_string(max_scale) + "] are not 0 < min <= max");
  const double angle = std::uniform_real_distribution<double>(-degrees, degrees)(rng);
  const double scale = std::uniform_real_distribution<double>(min_scale, max_scale)(rng);
  // Output pixel (y, x) takes the input at the inverse transform of its centre.
  const double radians = angle * 3.14159265358979323846 / 180;
  const double cos_a = std::cos(radians) / scale, sin_a = std::sin(radians) / scale;
  const double cy = (double(height) - 1) / 2, cx = (double(width) - 1) / 2;
  thread_local std::vector<float> image_copy;
  thread_local std::vector<int> mask_copy;
  image_copy.assign(image.begin(), image.end());
  if (joint) mask_copy.assign(mask.begin(), mask.end());
  const auto H = std::ptrdiff_t(height), W = std::ptrdiff_t(width);
  for (std::ptrdiff_t y = 0; y < H; ++y)
    for (std::ptrdiff_t x = 0; x < W; ++x) {
      const double sx = cos_a * (double(x) - cx) + sin_a * (double(y) - cy) + cx;
      const double sy = -sin_a * (double(x) - cx) + cos_a * (double(y) - cy) + cy;
      const std::size_t at = std::size_t(y * W + x);
      if (joint) {
        const auto ny = std::ptrdiff_t(std::lround(sy)), nx = std::ptrdiff_t(std::lround(sx));
        mask[at] = ny >= 0 && nx >= 0 && ny < H && nx < W ? mask_copy[std::size_t(ny * W + nx)]
                                                          : mask_fill;
      }
      const auto y0 = std::ptrdiff_t(std::floor(sy)), x0 = std::ptrdiff_t(std::floor(sx));
      const double fy = sy - double(y0), fx = sx - double(x0);
      for (std::size_t c = 0; c < channels; ++c) {
        const float* plane = image_copy.data() + c * height * width;
        const auto pixel = [&](std::ptrdiff_t py, std::ptrdiff_t px) {
          return py >= 0 && px >= 0 && py < H && px < W ? double(plane[py * W + px]) : double(fill);
        };
        image[c * height * width + at] =
            float((1 - fy) * ((1 - fx) * pixel(y0, x0) + fx * pixel(y0, x0 + 1)) +
                  fy * ((1 - fx) * pixel(y0 + 1, x0) + fx * pixel(y0 + 1, x0 + 1)));
      }
    }
}

// Applies each augmentation in turn, to an image or to an image and its mask.
template <class... A>
struct Chain {
  std::tuple<A...> steps;
  void operator()(std::span<float> image, std::mt19937_64& rng) const {
    std::apply([&](const auto&... step) { (step(image, rng), ...); }, steps);
  }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    std::apply([&](const auto&... step) { (step(image, mask, rng), ...); }, steps);
  }
};
template <class... A>
Chain<A...> chain(A... augmentations) {
  return {{augmentations...}};
}

}  // namespace typenet::data::augment
