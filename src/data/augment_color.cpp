// Brightness, contrast and Cutout (data/augment_color.hpp).
#include "typenet/data/augment_color.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "typenet/data/detail/augment_checks.hpp"

namespace typenet::data::augment {
namespace {

using detail::number;

void check_factor(double factor, const char* where) {
  if (!(std::isfinite(factor) && factor >= 0))
    detail::fail(where, "factor = " + number(factor), "is not finite and >= 0");
}

// factor * v + (1 - factor) * towards, in double, clamped if asked.
template <class T>
void blend(std::span<T> image, double factor, double towards, bool clamp) {
  for (auto& v : image) {
    const double blended = factor * double(v) + (1 - factor) * towards;
    v = T(clamp ? std::clamp(blended, 0.0, 1.0) : blended);
  }
}

template <class T>
void brightness(std::span<T> image, double factor, bool clamp) {
  check_factor(factor, "adjust_brightness");
  for (auto& v : image) {
    const double scaled = factor * double(v);
    v = T(clamp ? std::clamp(scaled, 0.0, 1.0) : scaled);
  }
}

template <class T>
void contrast(std::span<T> image, std::size_t channels, double factor, bool clamp) {
  check_factor(factor, "adjust_contrast");
  if (!(channels > 0 && !image.empty() && image.size() % channels == 0))
    detail::fail("adjust_contrast", "an image of " + std::to_string(image.size()) + " values",
                 ("is not " + std::to_string(channels) + " non-empty channels").c_str());
  double sum = 0;
  if (channels == 3) {  // ITU-R BT.601 luma, as torchvision's rgb_to_grayscale
    const std::size_t plane = image.size() / 3;
    for (std::size_t i = 0; i < plane; ++i)
      sum += 0.299 * double(image[i]) + 0.587 * double(image[plane + i]) +
             0.114 * double(image[2 * plane + i]);
    sum *= 3;  // the mean below divides by all values
  } else {
    for (const auto v : image) sum += double(v);
  }
  blend(image, factor, sum / double(image.size()), clamp);
}

template <class T>
void jitter(const ColorJitter& j, std::span<T> image, std::mt19937_64& rng) {
  if (!(std::isfinite(j.brightness) && j.brightness >= 0))
    detail::fail("ColorJitter", "brightness = " + number(j.brightness), "is not finite and >= 0");
  if (!(std::isfinite(j.contrast) && j.contrast >= 0))
    detail::fail("ColorJitter", "contrast = " + number(j.contrast), "is not finite and >= 0");
  if (!(j.channels > 0 && !image.empty() && image.size() % j.channels == 0))
    detail::fail("ColorJitter", "an image of " + std::to_string(image.size()) + " values",
                 ("is not " + std::to_string(j.channels) + " non-empty channels").c_str());
  const auto factor = [&](double amount) {
    return std::uniform_real_distribution<double>(std::max(0.0, 1 - amount), 1 + amount)(rng);
  };
  const bool contrast_first = std::bernoulli_distribution(0.5)(rng);
  const double b = j.brightness > 0 ? factor(j.brightness) : 1;
  const double c = j.contrast > 0 ? factor(j.contrast) : 1;
  if (contrast_first && j.contrast > 0) contrast(image, j.channels, c, j.clamp);
  if (j.brightness > 0) brightness(image, b, j.clamp);
  if (!contrast_first && j.contrast > 0) contrast(image, j.channels, c, j.clamp);
}

template <class T>
void cut(const Cutout& c, std::span<T> image, std::mt19937_64& rng) {
  detail::require_shape(image.size(), c.channels, c.height, c.width, "Cutout");
  if (!(c.size > 0)) detail::fail("Cutout", "size = 0", "cuts nothing (give the square's side)");
  detail::require_probability(c.p, "Cutout");
  if (!std::bernoulli_distribution(c.p)(rng)) return;
  const auto H = std::ptrdiff_t(c.height), W = std::ptrdiff_t(c.width);
  const auto side = std::ptrdiff_t(c.size);
  for (std::size_t hole = 0; hole < c.holes; ++hole) {
    const auto cy = std::uniform_int_distribution<std::ptrdiff_t>(0, H - 1)(rng);
    const auto cx = std::uniform_int_distribution<std::ptrdiff_t>(0, W - 1)(rng);
    const std::ptrdiff_t top = std::max<std::ptrdiff_t>(cy - side / 2, 0),
                         bottom = std::min(cy - side / 2 + side, H);
    const std::ptrdiff_t left = std::max<std::ptrdiff_t>(cx - side / 2, 0),
                         right = std::min(cx - side / 2 + side, W);
    for (std::size_t ch = 0; ch < c.channels; ++ch)
      for (std::ptrdiff_t y = top; y < bottom; ++y)
        for (std::ptrdiff_t x = left; x < right; ++x)
          image[(ch * c.height + std::size_t(y)) * c.width + std::size_t(x)] = T(c.fill);
  }
}

}  // namespace

void adjust_brightness(std::span<float> image, double factor, bool clamp) {
  brightness(image, factor, clamp);
}
void adjust_brightness(std::span<double> image, double factor, bool clamp) {
  brightness(image, factor, clamp);
}
void adjust_contrast(std::span<float> image, std::size_t channels, double factor, bool clamp) {
  contrast(image, channels, factor, clamp);
}
void adjust_contrast(std::span<double> image, std::size_t channels, double factor, bool clamp) {
  contrast(image, channels, factor, clamp);
}

void ColorJitter::operator()(std::span<float> image, std::mt19937_64& rng) const {
  jitter(*this, image, rng);
}
void ColorJitter::operator()(std::span<double> image, std::mt19937_64& rng) const {
  jitter(*this, image, rng);
}
void Cutout::operator()(std::span<float> image, std::mt19937_64& rng) const {
  cut(*this, image, rng);
}
void Cutout::operator()(std::span<double> image, std::mt19937_64& rng) const {
  cut(*this, image, rng);
}

}  // namespace typenet::data::augment
