// PNG encoding through stb_image_write, compiled here (static, as stb_image in
// src/data/image.cpp), and the tile grid.
#include "typenet/io/png.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "typenet/io/atomic_file.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO  // the bytes go through write_atomically
#include <stb/stb_image_write.h>

namespace typenet::io {

namespace {

void check(const Pixels& p, const char* where) {
  const auto fail = [&](const std::string& what) {
    throw std::invalid_argument(std::string(where) + ": " + what);
  };
  if (p.channels != 1 && p.channels != 3)
    fail(std::to_string(p.channels) + " channels (1, grey, or 3, RGB)");
  if (p.width == 0 || p.height == 0 || p.width > data::max_image_side ||
      p.height > data::max_image_side)
    fail(std::to_string(p.width) + " x " + std::to_string(p.height) +
         " pixels (each side must be 1 to " + std::to_string(data::max_image_side) + ")");
  if (p.samples.size() != p.width * p.height * p.channels)
    fail(std::to_string(p.samples.size()) + " samples for " + std::to_string(p.width) + " x " +
         std::to_string(p.height) + " x " + std::to_string(p.channels));
}

void append(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), std::size_t(size));
}

}  // namespace

std::string encode_png(const Pixels& pixels) {
  check(pixels, "encode_png");
  std::string bytes;
  if (stbi_write_png_to_func(append, &bytes, int(pixels.width), int(pixels.height),
                             int(pixels.channels), pixels.samples.data(),
                             int(pixels.width * pixels.channels)) == 0)
    throw std::runtime_error("encode_png: stb_image_write failed (out of memory?)");
  return bytes;
}

void write_png(const std::filesystem::path& path, const Pixels& pixels) {
  write_atomically(path, encode_png(pixels));
}

Pixels to_pixels(const data::Image& image, float low, float high) {
  if (!(high > low) || !std::isfinite(low) || !std::isfinite(high))
    throw std::invalid_argument("to_pixels: the range [" + std::to_string(low) + ", " +
                                std::to_string(high) + "] is empty or not finite");
  const std::size_t channels = image.channels == 3 ? 3 : 1;
  Pixels out{image.width, image.height, channels,
             std::vector<std::uint8_t>(image.width * image.height * channels)};
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t y = 0; y < image.height; ++y)
      for (std::size_t x = 0; x < image.width; ++x) {
        const float v = image.at(c, y, x);
        if (!std::isfinite(v))
          throw std::invalid_argument("to_pixels: the value at channel " + std::to_string(c) +
                                      ", row " + std::to_string(y) + ", column " +
                                      std::to_string(x) + " is not finite");
        const float unit = std::clamp((v - low) / (high - low), 0.0f, 1.0f);
        out.at(y, x)[c] = std::uint8_t(std::lround(unit * 255));
      }
  return out;
}

Pixels tile_grid(std::span<const Pixels> tiles, std::size_t columns, std::size_t zoom,
                 std::size_t gap, std::uint8_t background) {
  if (tiles.empty()) throw std::invalid_argument("tile_grid: no tiles");
  if (columns == 0 || zoom == 0)
    throw std::invalid_argument("tile_grid: columns and zoom must be >= 1");
  const Pixels& first = tiles.front();
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    check(tiles[i], "tile_grid");
    if (tiles[i].width != first.width || tiles[i].height != first.height ||
        tiles[i].channels != first.channels)
      throw std::invalid_argument(
          "tile_grid: tile " + std::to_string(i) + " is " + std::to_string(tiles[i].width) + " x " +
          std::to_string(tiles[i].height) + " x " + std::to_string(tiles[i].channels) +
          ", tile 0 " + std::to_string(first.width) + " x " + std::to_string(first.height) + " x " +
          std::to_string(first.channels));
  }
  columns = std::min(columns, tiles.size());
  const std::size_t rows = (tiles.size() + columns - 1) / columns;
  const std::size_t tile_w = first.width * zoom, tile_h = first.height * zoom;
  const std::size_t width = columns * tile_w + (columns - 1) * gap;
  const std::size_t height = rows * tile_h + (rows - 1) * gap;
  if (width > data::max_image_side || height > data::max_image_side)
    throw std::invalid_argument("tile_grid: " + std::to_string(width) + " x " +
                                std::to_string(height) + " pixels is beyond " +
                                std::to_string(data::max_image_side) + " a side");
  const std::size_t channels = first.channels;
  Pixels out{width, height, channels,
             std::vector<std::uint8_t>(width * height * channels, background)};
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    const std::size_t top = (i / columns) * (tile_h + gap), left = (i % columns) * (tile_w + gap);
    for (std::size_t y = 0; y < tile_h; ++y)
      for (std::size_t x = 0; x < tile_w; ++x) {
        const std::uint8_t* from =
            tiles[i].samples.data() + ((y / zoom) * first.width + x / zoom) * channels;
        std::copy(from, from + channels, out.at(top + y, left + x));
      }
  }
  return out;
}

}  // namespace typenet::io
