// Geometric augmentations that resample the image (bilinearly; a mask, if any, at the nearest
// pixel): the deterministic transforms — affine, resized_crop, distort_lens, like
// torchvision.transforms.functional's — and the random augmentations that draw their
// parameters (RandomResizedCrop, LensDistortion here, RandomAffine in augment.hpp). Images are
// C x H x W, float or double; a transform that draws nothing from the generator leaves an image
// bitwise unchanged when it is the identity. Compiled once, in src/data/augment_geometry.cpp.
//
// Pixel (y, x) has its centre at (y, x); the image centre is ((H - 1) / 2, (W - 1) / 2), as in
// torchvision. Every function throws std::invalid_argument naming itself and the bad value.
#pragma once

#include <cstddef>
#include <random>
#include <span>

namespace typenet::data::augment {

// C x H x W of an image.
struct ImageSize {
  std::size_t channels = 1, height, width;
};

// out = A (in - centre) + centre + (translate_x, translate_y), with
// A = rotation(angle) * shear * diag(scale_x, scale_y), shear = [[1, tan(shear_x)],
// [tan(shear_y), 1]], in image coordinates (x right, y down); angles in degrees, a positive
// angle turns the picture counter-clockwise (torchvision.transforms.functional.affine's
// convention), shifts in pixels.
struct AffineTransform {
  double angle = 0;
  double translate_x = 0, translate_y = 0;
  double scale_x = 1, scale_y = 1;
  double shear_x = 0, shear_y = 0;
};

// Applies `transform` to the image: each output pixel takes the bilinear interpolation of the
// input at the inverse transform of its centre, `fill` for what comes from outside. Throws for a
// scale <= 0, a shear not in (-90, 90) degrees, a non-finite value or a singular transform.
void affine(std::span<float> image, ImageSize size, const AffineTransform& transform,
            float fill = 0);
void affine(std::span<double> image, ImageSize size, const AffineTransform& transform,
            double fill = 0);
// The same transform of an H x W mask of class indices, at the nearest pixel.
void affine(std::span<int> mask, std::size_t height, std::size_t width,
            const AffineTransform& transform, int fill = 0);

// A crop of `crop_height` x `crop_width` pixels with its top-left at (top, left), resized
// bilinearly back to the whole image (torchvision's resized_crop; half-pixel centres,
// align_corners=False, no antialiasing; samples beyond the crop's edge take the edge pixel).
// Throws unless the crop lies inside the image and is at least 1 x 1.
void resized_crop(std::span<float> image, ImageSize size, std::size_t top, std::size_t left,
                  std::size_t crop_height, std::size_t crop_width);
void resized_crop(std::span<double> image, ImageSize size, std::size_t top, std::size_t left,
                  std::size_t crop_height, std::size_t crop_width);
void resized_crop(std::span<int> mask, std::size_t height, std::size_t width, std::size_t top,
                  std::size_t left, std::size_t crop_height, std::size_t crop_width);

// Radial lens distortion with one coefficient (Brown 1966, "Decentering distortion of lenses";
// OpenCV's k1): an undistorted point at radius r from the centre is seen at r (1 + k r^2), r in
// units of the half-diagonal (1 at the corner pixels). k < 0 is barrel distortion (the picture
// bulges, corners are pulled in), k > 0 pincushion (corners pushed out). Each output pixel
// solves the cubic for its undistorted radius (Newton's method); one with none (strong barrel,
// beyond the largest radius the lens shows) is `fill`. The centre stays where it is; k = 0 is
// the identity. Throws for a non-finite k.
void distort_lens(std::span<float> image, ImageSize size, double k, float fill = 0);
void distort_lens(std::span<double> image, ImageSize size, double k, double fill = 0);
void distort_lens(std::span<int> mask, std::size_t height, std::size_t width, double k,
                  int fill = 0);

// Crops a random part of the image and resizes it back to height x width (torchvision's
// RandomResizedCrop(size, scale, ratio) for an output the size of the input): the crop has an
// area of scale * H * W with scale uniform in [min_scale, max_scale] and an aspect ratio
// (width / height) log-uniform in [min_ratio, max_ratio]; after 10 draws that do not fit, the
// central crop of the ratio nearest the image's. Throws std::invalid_argument, naming
// RandomResizedCrop and the values, for scales not 0 < min <= max <= 1 or ratios not
// 0 < min <= max.
struct RandomResizedCrop {
  std::size_t height, width;
  double min_scale = 0.08, max_scale = 1.0;
  double min_ratio = 3.0 / 4.0, max_ratio = 4.0 / 3.0;
  std::size_t channels = 1;
  // The crop a call draws: top, left, height, width.
  struct Window {
    std::size_t top, left, height, width;
  };
  Window draw(std::mt19937_64& rng) const;
  void operator()(std::span<float> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<double> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }
  void operator()(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }

 private:
  void apply(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const;
  void apply(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const;
};

// Lens distortion (distort_lens) with k uniform in [min_k, max_k], applied with probability p:
// barrel and pincushion by default. Throws std::invalid_argument, naming LensDistortion and the
// values, for min_k > max_k, a non-finite k or p not in [0, 1].
struct LensDistortion {
  std::size_t height, width;
  double min_k = -0.3, max_k = 0.3;
  std::size_t channels = 1;
  float fill = 0;
  int mask_fill = 0;
  double p = 1;
  void operator()(std::span<float> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<double> image, std::mt19937_64& rng) const { apply(image, {}, rng); }
  void operator()(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }
  void operator()(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const {
    apply(image, mask, rng);
  }

 private:
  void apply(std::span<float> image, std::span<int> mask, std::mt19937_64& rng) const;
  void apply(std::span<double> image, std::span<int> mask, std::mt19937_64& rng) const;
};

}  // namespace typenet::data::augment
