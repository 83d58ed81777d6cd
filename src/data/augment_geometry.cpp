// The geometric augmentations of data/augment_geometry.hpp and RandomAffine (data/augment.hpp):
// each is a map from an output pixel to the input point it shows, sampled bilinearly for images
// and at the nearest pixel for masks.
#include "typenet/data/augment_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "typenet/data/detail/augment_checks.hpp"

namespace typenet::data::augment {
namespace {

constexpr double pi = 3.14159265358979323846;
using detail::number;

// The input point an output pixel shows; `inside` false: none (the pixel gets the fill).
struct Source {
  double y, x;
  bool inside = true;
};

// Bilinear interpolation at (sy, sx); neighbours outside the image count as `fill`. Weights of
// exactly 0 are skipped, so a point on a pixel centre gives that pixel's value bitwise.
template <class T>
T bilinear(const T* plane, std::ptrdiff_t H, std::ptrdiff_t W, double sy, double sx, T fill) {
  if (!(sy > -1 && sx > -1 && sy < double(H) && sx < double(W))) return fill;  // NaN too
  const double top = std::floor(sy), left = std::floor(sx);
  const double fy = sy - top, fx = sx - left;
  const auto y0 = std::ptrdiff_t(top), x0 = std::ptrdiff_t(left);
  double sum = 0;
  const auto add = [&](std::ptrdiff_t py, std::ptrdiff_t px, double weight) {
    if (weight == 0) return;
    const bool in = py >= 0 && px >= 0 && py < H && px < W;
    sum += weight * double(in ? plane[py * W + px] : fill);
  };
  add(y0, x0, (1 - fy) * (1 - fx));
  add(y0, x0 + 1, (1 - fy) * fx);
  add(y0 + 1, x0, fy * (1 - fx));
  add(y0 + 1, x0 + 1, fy * fx);
  return T(sum);
}

template <class T, class Map>
void warp(std::span<T> image, ImageSize size, const Map& map, T fill) {
  thread_local std::vector<T> copy;  // reused: no allocation per image after the first
  copy.assign(image.begin(), image.end());
  const auto H = std::ptrdiff_t(size.height), W = std::ptrdiff_t(size.width);
  const std::size_t plane = size.height * size.width;
  for (std::ptrdiff_t y = 0; y < H; ++y)
    for (std::ptrdiff_t x = 0; x < W; ++x) {
      const Source s = map(double(y), double(x));
      for (std::size_t c = 0; c < size.channels; ++c)
        image[c * plane + std::size_t(y * W + x)] =
            s.inside ? bilinear(copy.data() + c * plane, H, W, s.y, s.x, fill) : fill;
    }
}

template <class Map>
void warp_mask(std::span<int> mask, std::size_t height, std::size_t width, const Map& map,
               int fill) {
  thread_local std::vector<int> copy;
  copy.assign(mask.begin(), mask.end());
  const auto H = std::ptrdiff_t(height), W = std::ptrdiff_t(width);
  for (std::ptrdiff_t y = 0; y < H; ++y)
    for (std::ptrdiff_t x = 0; x < W; ++x) {
      const Source s = map(double(y), double(x));
      const bool in =
          s.inside && s.y >= -0.5 && s.x >= -0.5 && s.y < double(H) - 0.5 && s.x < double(W) - 0.5;
      mask[std::size_t(y * W + x)] =
          in ? copy[std::size_t(std::ptrdiff_t(std::floor(s.y + 0.5)) * W +
                                std::ptrdiff_t(std::floor(s.x + 0.5)))]
             : fill;
    }
}

void check_image(std::size_t values, ImageSize size, const char* where) {
  detail::require_shape(values, size.channels, size.height, size.width, where);
}

// The inverse of an AffineTransform, as a map from output pixels to input points.
struct AffineMap {
  double a, b, c, d;  // the inverse of A, row by row
  double cy, cx, ty, tx;
  explicit AffineMap(const AffineTransform& t, std::size_t height, std::size_t width) {
    const char* where = "affine";
    for (double v : {t.angle, t.translate_x, t.translate_y, t.scale_x, t.scale_y})
      if (!(std::isfinite(v)))
        detail::fail(where, "a transform value of " + number(v), "is not finite");
    if (!(t.scale_x > 0 && t.scale_y > 0))
      detail::fail(where, "the scale (" + number(t.scale_x) + ", " + number(t.scale_y) + ")",
                   "is not positive");
    for (double s : {t.shear_x, t.shear_y})
      if (!(std::abs(s) < 90))
        detail::fail(where, "a shear of " + number(s) + " degrees", "is not in (-90, 90)");
    const double co = std::cos(t.angle * pi / 180), si = std::sin(t.angle * pi / 180);
    const double hx = std::tan(t.shear_x * pi / 180), hy = std::tan(t.shear_y * pi / 180);
    // A = R Sh S with R = [[co, si], [-si, co]] (counter-clockwise on screen, y down).
    const double a00 = (co + si * hy) * t.scale_x, a01 = (co * hx + si) * t.scale_y;
    const double a10 = (co * hy - si) * t.scale_x, a11 = (co - si * hx) * t.scale_y;
    const double det = a00 * a11 - a01 * a10;
    if (!(std::abs(1 - hx * hy) > 1e-9))
      detail::fail(where,
                   "shears of (" + number(t.shear_x) + ", " + number(t.shear_y) + ") degrees",
                   "make the transform singular (tan(shear_x) tan(shear_y) = 1)");
    a = a11 / det, b = -a01 / det, c = -a10 / det, d = a00 / det;
    cy = (double(height) - 1) / 2, cx = (double(width) - 1) / 2;
    ty = t.translate_y, tx = t.translate_x;
  }
  Source operator()(double y, double x) const {
    const double u = x - cx - tx, v = y - cy - ty;
    return {c * u + d * v + cy, a * u + b * v + cx};
  }
};

struct CropMap {
  double top, left, crop_height, crop_width, scale_y, scale_x;
  Source operator()(double y, double x) const {
    return {top + std::clamp((y + 0.5) * scale_y - 0.5, 0.0, crop_height - 1),
            left + std::clamp((x + 0.5) * scale_x - 0.5, 0.0, crop_width - 1)};
  }
};

CropMap crop_map(std::size_t height, std::size_t width, std::size_t top, std::size_t left,
                 std::size_t crop_height, std::size_t crop_width) {
  const bool fits = crop_height > 0 && crop_width > 0 && top <= height &&
                    crop_height <= height - top && left <= width && crop_width <= width - left;
  if (!(fits))
    detail::fail("resized_crop",
                 "the crop " + std::to_string(crop_height) + " x " + std::to_string(crop_width) +
                     " at (" + std::to_string(top) + ", " + std::to_string(left) + ")",
                 ("is not a non-empty part of the " + std::to_string(height) + " x " +
                  std::to_string(width) + " image")
                     .c_str());
  return {double(top),
          double(left),
          double(crop_height),
          double(crop_width),
          double(crop_height) / double(height),
          double(crop_width) / double(width)};
}

// r_u with r_u (1 + k r_u^2) = r_d, the root on the rising branch; -1 if there is none.
double undistorted_radius(double rd, double k) {
  if (k < 0 && rd > 2 / (3 * std::sqrt(-3 * k))) return -1;  // beyond the curve's maximum
  // From r = rd Newton's steps approach the root monotonically: f is convex and rising for
  // k > 0 (from above), concave and rising up to the root for k < 0 (from below).
  double r = rd;
  for (int step = 0; step < 100; ++step) {
    const double change = (r + k * r * r * r - rd) / (1 + 3 * k * r * r);
    r -= change;
    if (std::abs(change) <= 1e-15 * (1 + r)) break;
  }
  return r;
}

struct LensMap {
  double k, cy, cx, radius;
  Source operator()(double y, double x) const {
    const double dy = y - cy, dx = x - cx, rd = std::hypot(dy, dx) / radius;
    if (rd == 0) return {y, x};
    const double ru = undistorted_radius(rd, k);
    if (ru < 0) return {0, 0, false};
    return {cy + dy * (ru / rd), cx + dx * (ru / rd)};
  }
};

// nullopt-like: false when the lens leaves the image as it is.
bool lens_map(double k, std::size_t height, std::size_t width, LensMap& map) {
  if (!(std::isfinite(k))) detail::fail("distort_lens", "k = " + number(k), "is not finite");
  map = {k, (double(height) - 1) / 2, (double(width) - 1) / 2, 0};
  map.radius = std::hypot(map.cy, map.cx);
  return k != 0 && map.radius > 0;
}

template <class T>
void affine_image(std::span<T> image, ImageSize size, const AffineTransform& t, T fill) {
  check_image(image.size(), size, "affine");
  warp(image, size, AffineMap(t, size.height, size.width), fill);
}
template <class T>
void crop_image(std::span<T> image, ImageSize size, std::size_t top, std::size_t left,
                std::size_t crop_height, std::size_t crop_width) {
  check_image(image.size(), size, "resized_crop");
  const CropMap map = crop_map(size.height, size.width, top, left, crop_height, crop_width);
  warp(image, size, map, T(0));
}
template <class T>
void lens_image(std::span<T> image, ImageSize size, double k, T fill) {
  check_image(image.size(), size, "distort_lens");
  LensMap map{};
  if (lens_map(k, size.height, size.width, map)) warp(image, size, map, fill);
}

}  // namespace

void affine(std::span<float> image, ImageSize size, const AffineTransform& t, float fill) {
  affine_image(image, size, t, fill);
}
void affine(std::span<double> image, ImageSize size, const AffineTransform& t, double fill) {
  affine_image(image, size, t, fill);
}
void affine(std::span<int> mask, std::size_t height, std::size_t width, const AffineTransform& t,
            int fill) {
  detail::require_mask(mask, height, width, "affine");
  warp_mask(mask, height, width, AffineMap(t, height, width), fill);
}

void resized_crop(std::span<float> image, ImageSize size, std::size_t top, std::size_t left,
                  std::size_t crop_height, std::size_t crop_width) {
  crop_image(image, size, top, left, crop_height, crop_width);
}
void resized_crop(std::span<double> image, ImageSize size, std::size_t top, std::size_t left,
                  std::size_t crop_height, std::size_t crop_width) {
  crop_image(image, size, top, left, crop_height, crop_width);
}
void resized_crop(std::span<int> mask, std::size_t height, std::size_t width, std::size_t top,
                  std::size_t left, std::size_t crop_height, std::size_t crop_width) {
  detail::require_mask(mask, height, width, "resized_crop");
  warp_mask(mask, height, width, crop_map(height, width, top, left, crop_height, crop_width), 0);
}

void distort_lens(std::span<float> image, ImageSize size, double k, float fill) {
  lens_image(image, size, k, fill);
}
void distort_lens(std::span<double> image, ImageSize size, double k, double fill) {
  lens_image(image, size, k, fill);
}
void distort_lens(std::span<int> mask, std::size_t height, std::size_t width, double k, int fill) {
  detail::require_mask(mask, height, width, "distort_lens");
  LensMap map{};
  if (lens_map(k, height, width, map)) warp_mask(mask, height, width, map, fill);
}

}  // namespace typenet::data::augment
