// Image files cut short at every length, and top-down BMPs: read_image gives the whole image or
// a sentence naming the file, never a padded image or an unprintable reason.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

#include "files.hpp"

namespace tn = typenet;
namespace fs = std::filesystem;
using Catch::Contains;
using tn::data::Image;

using typenet_test::read_bytes;
using typenet_test::Scratch;
using typenet_test::write_plain;

using Bytes = std::vector<std::uint8_t>;

TEST_CASE("A PNG or JPEG cut at every length: the image itself or a readable reason", "[image]") {
  // A PNG cut inside a chunk header read "(stb_image: )": stb_image names an unknown chunk by
  // its type bytes, zeros past the end of the file.
  const Scratch dir;
  Bytes pixels(6 * 4 * 3);
  for (std::size_t k = 0; k < pixels.size(); ++k) pixels[k] = std::uint8_t(k * 3);
  REQUIRE(stbi_write_png((dir / "whole.png").c_str(), 6, 4, 3, pixels.data(), 18) != 0);
  REQUIRE(stbi_write_jpg((dir / "whole.jpg").c_str(), 6, 4, 3, pixels.data(), 90) != 0);
  for (const char* name : {"whole.png", "whole.jpg"}) {
    const Bytes whole = read_bytes(dir / name);
    const Image expected = tn::data::read_image(dir / name);
    for (std::size_t length = 1; length < whole.size(); ++length) {
      INFO(name << " cut to " << length << " of " << whole.size() << " bytes");
      write_plain(dir / "cut", Bytes(whole.begin(), whole.begin() + std::ptrdiff_t(length)));
      try {
        // stb_image stops at IEND, before its CRC: a cut there loses nothing. Any image read
        // from a cut file must be the whole one, never one padded with made-up samples.
        const Image image = tn::data::read_image(dir / "cut");
        CHECK(image.channels == expected.channels);
        CHECK(image.height == expected.height);
        CHECK(image.pixels == expected.pixels);
      } catch (const tn::data::DataError& error) {
        const std::string what = error.what();
        CHECK_THAT(what, Contains((dir / "cut").string()));
        CHECK_THAT(what, !Contains("stb_image: )"));
        CHECK(std::all_of(what.begin(), what.end(), [](char c) { return c >= 0x20 && c <= 0x7e; }));
      }
    }
  }
}

TEST_CASE("A top-down BMP (negative height) reads as its bottom-up twin", "[image]") {
  const Scratch dir;
  Bytes pixels(5 * 3 * 3);
  for (std::size_t k = 0; k < pixels.size(); ++k) pixels[k] = std::uint8_t(k * 5);
  REQUIRE(stbi_write_bmp((dir / "up.bmp").c_str(), 5, 3, 3, pixels.data()) != 0);
  Bytes bytes = read_bytes(dir / "up.bmp");
  // 24-bit rows of 5 pixels padded to 16 bytes, bottom row first after the pixel offset.
  const std::size_t offset = bytes[10] | bytes[11] << 8, stride = 16;
  REQUIRE(bytes.size() == offset + 3 * stride);
  for (std::size_t row = 0; row < 3; ++row)
    std::copy_n(read_bytes(dir / "up.bmp").begin() + std::ptrdiff_t(offset + (2 - row) * stride),
                stride, bytes.begin() + std::ptrdiff_t(offset + row * stride));
  const std::uint32_t minus_three = std::uint32_t(-3);
  for (int i = 0; i < 4; ++i) bytes[22 + std::size_t(i)] = std::uint8_t(minus_three >> (8 * i));
  write_plain(dir / "down.bmp", bytes);
  const Image up = tn::data::read_image(dir / "up.bmp");
  const Image down = tn::data::read_image(dir / "down.bmp");
  CHECK(down.height == 3);
  CHECK(down.width == 5);
  CHECK(down.pixels == up.pixels);
}
