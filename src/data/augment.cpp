// The random geometric augmentations (RandomAffine of data/augment.hpp, RandomResizedCrop and
// LensDistortion of data/augment_geometry.hpp): what each draws from the generator, and in which
// order (the order is part of a seed's result, so it only ever grows at the end).
#include <algorithm>
#include <cmath>
#include <string>

#include "typenet/data/augment.hpp"
#include "typenet/data/augment_geometry.hpp"
#include "typenet/data/detail/augment_checks.hpp"

namespace typenet::data::augment {
namespace {

using detail::number;

double uniform(double low, double high, std::mt19937_64& rng) {
  return std::uniform_real_distribution<double>(low, high)(rng);
}

template <class T>
void affine_apply(const RandomAffine& a, std::span<T> image, std::span<int> mask,
                  std::mt19937_64& rng) {
  detail::require_shape(image.size(), a.channels, a.height, a.width, "RandomAffine");
  if (mask.data() != nullptr) detail::require_mask(mask, a.height, a.width, "RandomAffine");
  const AffineTransform t = a.draw(rng);
  affine(image, {a.channels, a.height, a.width}, t, T(a.fill));
  if (mask.data() != nullptr) affine(mask, a.height, a.width, t, a.mask_fill);
}

template <class T>
void crop_apply(const RandomResizedCrop& r, std::span<T> image, std::span<int> mask,
                std::mt19937_64& rng) {
  detail::require_shape(image.size(), r.channels, r.height, r.width, "RandomResizedCrop");
  if (mask.data() != nullptr) detail::require_mask(mask, r.height, r.width, "RandomResizedCrop");
  const auto w = r.draw(rng);
  resized_crop(image, {r.channels, r.height, r.width}, w.top, w.left, w.height, w.width);
  if (mask.data() != nullptr)
    resized_crop(mask, r.height, r.width, w.top, w.left, w.height, w.width);
}

template <class T>
void lens_apply(const LensDistortion& l, std::span<T> image, std::span<int> mask,
                std::mt19937_64& rng) {
  const char* where = "LensDistortion";
  detail::require_shape(image.size(), l.channels, l.height, l.width, where);
  if (mask.data() != nullptr) detail::require_mask(mask, l.height, l.width, where);
  if (!(std::isfinite(l.min_k) && std::isfinite(l.max_k) && l.min_k <= l.max_k))
    detail::fail(where, detail::range("k", l.min_k, l.max_k), "is not finite with min <= max");
  detail::require_probability(l.p, where);
  if (!std::bernoulli_distribution(l.p)(rng)) return;
  const double k = uniform(l.min_k, l.max_k, rng);
  distort_lens(image, {l.channels, l.height, l.width}, k, T(l.fill));
  if (mask.data() != nullptr) distort_lens(mask, l.height, l.width, k, l.mask_fill);
}

}  // namespace

AffineTransform RandomAffine::draw(std::mt19937_64& rng) const {
  const char* where = "RandomAffine";
  if (!(std::isfinite(degrees) && degrees >= 0))
    detail::fail(where, "degrees = " + number(degrees), "is not finite and >= 0");
  if (!(min_scale > 0 && min_scale <= max_scale && std::isfinite(max_scale)))
    detail::fail(where, detail::range("the scales", min_scale, max_scale),
                 "are not 0 < min <= max (finite)");
  for (double s : {shear_x, shear_y})
    if (!(s >= 0 && s < 90))
      detail::fail(where, "a shear of " + number(s) + " degrees", "is not in [0, 90)");
  for (double t : {translate_x, translate_y})
    if (!(t >= 0 && t <= 1))
      detail::fail(where, "a translation of " + number(t),
                   "is not a fraction of the image in [0, 1]");
  AffineTransform t;
  // Angle and scale first: the draws RandomAffine made before it had shear and translation.
  t.angle = uniform(-degrees, degrees, rng);
  t.scale_x = t.scale_y = uniform(min_scale, max_scale, rng);
  if (per_axis_scale) t.scale_y = uniform(min_scale, max_scale, rng);
  if (shear_x > 0) t.shear_x = uniform(-shear_x, shear_x, rng);
  if (shear_y > 0) t.shear_y = uniform(-shear_y, shear_y, rng);
  const double most_x = translate_x * double(width), most_y = translate_y * double(height);
  if (translate_x > 0) t.translate_x = std::round(uniform(-most_x, most_x, rng));
  if (translate_y > 0) t.translate_y = std::round(uniform(-most_y, most_y, rng));
  return t;
}
void RandomAffine::apply(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
  affine_apply(*this, image, mask, rng);
}
void RandomAffine::apply(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const {
  affine_apply(*this, image, mask, rng);
}

// torchvision.transforms.RandomResizedCrop.get_params, draw for draw.
RandomResizedCrop::Window RandomResizedCrop::draw(std::mt19937_64& rng) const {
  const char* where = "RandomResizedCrop";
  if (!(min_scale > 0 && min_scale <= max_scale && max_scale <= 1))
    detail::fail(where, detail::range("the scales", min_scale, max_scale),
                 "are not 0 < min <= max <= 1");
  if (!(min_ratio > 0 && min_ratio <= max_ratio && std::isfinite(max_ratio)))
    detail::fail(where, detail::range("the aspect ratios", min_ratio, max_ratio),
                 "are not 0 < min <= max (finite)");
  const double area = double(height) * double(width);
  const double low = std::log(min_ratio), high = std::log(max_ratio);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target = area * uniform(min_scale, max_scale, rng);
    const double ratio = std::exp(uniform(low, high, rng));
    const auto w = std::size_t(std::lround(std::sqrt(target * ratio)));
    const auto h = std::size_t(std::lround(std::sqrt(target / ratio)));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      const auto top = std::uniform_int_distribution<std::size_t>(0, height - h)(rng);
      const auto left = std::uniform_int_distribution<std::size_t>(0, width - w)(rng);
      return {top, left, h, w};
    }
  }
  // The central crop, of the allowed ratio nearest the image's.
  const double ratio = double(width) / double(height);
  std::size_t h = height, w = width;
  if (ratio < min_ratio)
    h = std::size_t(std::lround(double(width) / min_ratio));
  else if (ratio > max_ratio)
    w = std::size_t(std::lround(double(height) * max_ratio));
  h = std::clamp<std::size_t>(h, 1, height), w = std::clamp<std::size_t>(w, 1, width);
  return {(height - h) / 2, (width - w) / 2, h, w};
}
void RandomResizedCrop::apply(std::span<float> image, std::span<int> mask,
                              std::mt19937_64& rng) const {
  crop_apply(*this, image, mask, rng);
}
void RandomResizedCrop::apply(std::span<double> image, std::span<int> mask,
                              std::mt19937_64& rng) const {
  crop_apply(*this, image, mask, rng);
}

void LensDistortion::apply(std::span<float> image, std::span<int> mask,
                           std::mt19937_64& rng) const {
  lens_apply(*this, image, mask, rng);
}
void LensDistortion::apply(std::span<double> image, std::span<int> mask,
                           std::mt19937_64& rng) const {
  lens_apply(*this, image, mask, rng);
}

}  // namespace typenet::data::augment
