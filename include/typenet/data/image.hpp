// Image files (PNG, JPEG, BMP, binary PGM/PPM) read into floats, and converted to a network's
// input: grey or RGB, resized bilinearly, normalised as in training.
//
//   auto image = tn::data::read_image("shirt.png");        // any size, grey or colour
//   auto input = tn::data::to_input(image, 1, 28, 28);     // grey, 28 x 28
//   auto data = tn::data::to_dataset({input}, {0}, 10);    // then pad, norm.apply, evaluate
//
// Decoding is Debian's stb_image (libstb-dev), compiled into src/data/image.cpp, but for PGM/PPM,
// which typenet reads itself; every error is a tn::data::DataError naming the file and what is
// wrong.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

#include "typenet/data/dataset.hpp"

namespace typenet::data {

// channels x height x width floats in [0, 1], plane after plane (C x H x W, as a tensor's
// sample). Channels are as in the file: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA.
struct Image {
  std::size_t channels = 0, height = 0, width = 0;
  std::vector<float> pixels;  // channels * height * width

  std::size_t size() const { return channels * height * width; }
  // The height x width values of channel c.
  std::span<const float> plane(std::size_t c) const {
    return {pixels.data() + c * height * width, height * width};
  }
  float at(std::size_t c, std::size_t y, std::size_t x) const {
    return pixels[(c * height + y) * width + x];
  }
};

// read_image refuses a file larger than this before reading it (a 8192 x 8192 RGBA BMP is 256 MiB).
inline constexpr std::uintmax_t max_image_file_bytes = std::uintmax_t(512) << 20;
// ... and an image wider or taller than this, or of more pixels (8192 x 8192), before decoding
// (the size its header declares), with a sentence giving both sizes. resize_bilinear and to_input
// make images within the same bounds: a network's input larger than the largest image read_image
// reads is a mistake (a swapped or unset argument), and 2^26 pixels of 3 channels are already
// 768 MiB of floats.
inline constexpr std::size_t max_image_side = std::size_t(1) << 15;
inline constexpr std::size_t max_image_pixels = std::size_t(1) << 26;

// PNG (8 and 16 bits, palette, grey, alpha), baseline and progressive JPEG, BMP (uncompressed
// and RLE) and binary PGM/PPM (P5/P6, any maxval up to 65535). Values are v / maxval: v / 255
// for 8-bit files (as load_idx), v / 65535 for 16-bit ones. Throws DataError "<path>: ..." for
// a missing file, a directory, an empty, truncated, corrupt (with stb_image's reason) or too
// large file, and a file that begins with none of these formats' signatures (GIF, TIFF, WebP,
// ASCII P1-P3, ...; stb_image never sees it). A JPEG Huffman table stb_image 2.27 would write
// past (more than 256 codes, CVE-2021-37789) is refused before it decodes.
Image read_image(const std::filesystem::path& path);
// The same on a file's bytes already in memory; `name` stands for the file in the messages.
Image decode_image(std::span<const std::uint8_t> bytes, const std::filesystem::path& name);

// The image with `channels` channels: 1 (grey) or 3 (RGB); or the image's own count. Alpha is
// dropped (not composited, as PIL's convert("RGB")); grey from RGB is the ITU-R BT.601 luma
// 0.299 R + 0.587 G + 0.114 B (PIL's convert("L"), which rounds it to 8 bits; this stays float);
// RGB from grey repeats the grey plane. Throws std::invalid_argument for another count.
Image to_channels(const Image& image, std::size_t channels);

// Bilinear resize with half-pixel centres: output pixel i samples the input at
// (i + 0.5) * in / out - 0.5, clamped to [0, in - 1], interpolating its two neighbours in each
// direction. This is PyTorch's F.interpolate(mode="bilinear", align_corners=False,
// antialias=False) and kernel::upsample_bilinear_forward (the Upsample layer). PIL's
// resize(BILINEAR) gives the same when enlarging; when shrinking it widens its filter
// (antialiasing) and averages more pixels. Throws std::invalid_argument, with the sizes, for a
// size of 0 or beyond max_image_side / max_image_pixels, and for an image whose pixels are not
// channels x height x width values.
Image resize_bilinear(const Image& image, std::size_t height, std::size_t width);

// to_channels, then resize_bilinear: the image in a network's input shape C x H x W. Throws
// std::invalid_argument as they do (the size's message begins "to_input:").
Image to_input(const Image& image, std::size_t channels, std::size_t height, std::size_t width);
// ... then standardised per channel with the statistics the model was trained with:
// (v - mean[c]) / stddev[c], as Normalizer::apply. The normalizer must have `channels` channels,
// finite means and positive, finite deviations (std::invalid_argument).
Image to_input(const Image& image, std::size_t channels, std::size_t height, std::size_t width,
               const Normalizer& normalizer);

// A segmentation mask: one class index per pixel, row-major.
struct Mask {
  std::size_t height = 0, width = 0;
  std::vector<int> classes;  // height * width
};

// A mask file: a 1-channel (grey) 8- or 16-bit PNG whose pixel values are the class indices
// (0 to 255, or 65535), as segmentation datasets store "label id" PNGs. Throws DataError
// "<path>: ..." as read_image does, and for a file of another format or with more than one
// channel (a colour or palette PNG: stb_image expands a palette, as PASCAL VOC's masks use, to
// RGB, so its indices are lost; convert such masks to grey indices first).
Mask read_mask(const std::filesystem::path& path);

// Images of one shape as a dataset with these labels (e.g. for pad, Normalizer::apply or
// evaluate); labels.size() == images.size(). Throws DataError when the shapes differ.
Dataset to_dataset(const std::vector<Image>& images, std::vector<int> labels, std::size_t classes);

}  // namespace typenet::data
