// PNG files of 8-bit pictures (stb_image_write, Debian's libstb-dev, compiled into
// src/io/png.cpp), and the grid of equal tiles that the augmentation picture and the training
// report (train/report.hpp) draw.
//
//   std::vector<tn::io::Pixels> tiles = ...;              // e.g. to_pixels(image) of each image
//   tn::io::write_png("grid.png", tn::io::tile_grid(tiles, /*columns=*/8, /*zoom=*/2));
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "typenet/data/image.hpp"

namespace typenet::io {

// height rows of width pixels, each `channels` interleaved 8-bit samples: 1 grey, 3 RGB
// (PNG's own row order and layout).
struct Pixels {
  std::size_t width = 0, height = 0, channels = 1;
  std::vector<std::uint8_t> samples;  // height * width * channels

  std::uint8_t* at(std::size_t y, std::size_t x) {
    return samples.data() + (y * width + x) * channels;
  }
};

// The PNG file's bytes. Throws std::invalid_argument for channels other than 1 or 3, a side of
// 0 or above data::max_image_side, or samples that are not width * height * channels values.
std::string encode_png(const Pixels& pixels);
// encode_png written with write_atomically (the old file or the new one, whole). Throws as
// encode_png, and std::runtime_error naming the file when it cannot be written.
void write_png(const std::filesystem::path& path, const Pixels& pixels);

// A C x H x W float image (data::Image) as 8-bit pixels: v in [low, high] maps linearly to
// [0, 255], rounded, values outside clamped. 3 channels give RGB; any other count shows
// channel 0 in grey. Throws std::invalid_argument when high <= low or a value is not finite.
Pixels to_pixels(const data::Image& image, float low = 0, float high = 1);

// The tiles, all of one size and channel count, in rows of `columns` (the last row may be
// short), each enlarged `zoom` times (every pixel a zoom x zoom square), `gap` pixels of
// `background` (every channel) between them and none around: columns * w * zoom +
// (columns - 1) * gap pixels wide, as many rows as needed. Throws std::invalid_argument for no
// tiles, tiles of different sizes, columns or zoom 0, or a result beyond data::max_image_side.
Pixels tile_grid(std::span<const Pixels> tiles, std::size_t columns, std::size_t zoom = 1,
                 std::size_t gap = 2, std::uint8_t background = 128);

}  // namespace typenet::io
