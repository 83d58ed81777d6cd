// The size bounds of image files and of to_input: a PNG, BMP or JPEG whose header declares a side
// above max_image_side (which stb_image alone reports as "unknown image type") or too many pixels
// is refused with both sizes, each beside a good twin; to_input and resize_bilinear refuse an
// output beyond the same bounds, an image whose sizes do not match its values (even when their
// product wraps around) and a normalizer that would divide by zero.
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
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

namespace {

using Bytes = std::vector<std::uint8_t>;

void put_big_endian(Bytes& bytes, std::size_t at, std::uint32_t value, int size) {
  for (int i = 0; i < size; ++i)
    bytes[at + std::size_t(i)] = std::uint8_t(value >> (8 * (size - 1 - i)));
}
void put_little_endian(Bytes& bytes, std::size_t at, std::uint32_t value, int size) {
  for (int i = 0; i < size; ++i) bytes[at + std::size_t(i)] = std::uint8_t(value >> (8 * i));
}

// A PNG written by stb_image_write with its IHDR's width and height replaced (and its CRC-32
// recomputed, so that only the size is wrong).
Bytes png_declaring(const fs::path& path, std::uint32_t width, std::uint32_t height) {
  const Bytes pixels(4 * 3, 100);
  REQUIRE(stbi_write_png(path.c_str(), 4, 3, 1, pixels.data(), 4) != 0);
  Bytes bytes = read_bytes(path);
  REQUIRE(std::string(bytes.begin() + 12, bytes.begin() + 16) == "IHDR");
  put_big_endian(bytes, 16, width, 4);
  put_big_endian(bytes, 20, height, 4);
  put_big_endian(bytes, 29, std::uint32_t(crc32(0, bytes.data() + 12, 17)), 4);
  return bytes;
}

std::string refusal(const fs::path& path) {
  try {
    tn::data::read_image(path);
  } catch (const tn::data::DataError& error) {
    return error.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("A PNG, BMP or JPEG declaring too large a size is refused with its size", "[image]") {
  const Scratch dir;
  const std::string bounds =
      " pixels is more than read_image accepts (32768 per side, 67108864 "
      "in all)";
  SECTION("PNG: a side above 32768, too many pixels in all; its twin of 4 x 3 reads") {
    write_plain(dir / "ok.png", png_declaring(dir / "ok.png", 4, 3));
    CHECK(tn::data::read_image(dir / "ok.png").width == 4);
    write_plain(dir / "wide.png", png_declaring(dir / "wide.png", 40000, 3));
    CHECK(refusal(dir / "wide.png") == (dir / "wide.png").string() + ": 40000 x 3" + bounds);
    write_plain(dir / "tall.png", png_declaring(dir / "tall.png", 4, 4000000000));
    CHECK(refusal(dir / "tall.png") == (dir / "tall.png").string() + ": 4 x 4000000000" + bounds);
    write_plain(dir / "many.png", png_declaring(dir / "many.png", 10000, 10000));
    CHECK(refusal(dir / "many.png") == (dir / "many.png").string() + ": 10000 x 10000" + bounds);
  }
  SECTION("BMP: a width above 32768, a negative (top-down) height beyond it") {
    const Bytes pixels(4 * 3 * 3, 50);
    REQUIRE(stbi_write_bmp((dir / "wide.bmp").c_str(), 4, 3, 3, pixels.data()) != 0);
    CHECK(tn::data::read_image(dir / "wide.bmp").height == 3);
    Bytes bytes = read_bytes(dir / "wide.bmp");
    put_little_endian(bytes, 18, 40000, 4);
    write_plain(dir / "wide.bmp", bytes);
    CHECK(refusal(dir / "wide.bmp") == (dir / "wide.bmp").string() + ": 40000 x 3" + bounds);
    put_little_endian(bytes, 18, 4, 4);
    put_little_endian(bytes, 22, std::uint32_t(-50000), 4);
    write_plain(dir / "wide.bmp", bytes);
    CHECK(refusal(dir / "wide.bmp") == (dir / "wide.bmp").string() + ": 4 x 50000" + bounds);
  }
  SECTION("JPEG: the start-of-frame's width above 32768") {
    const Bytes pixels(16 * 8 * 3, 200);
    REQUIRE(stbi_write_jpg((dir / "wide.jpg").c_str(), 16, 8, 3, pixels.data(), 90) != 0);
    CHECK(tn::data::read_image(dir / "wide.jpg").width == 16);
    Bytes bytes = read_bytes(dir / "wide.jpg");
    std::size_t sof = 0;
    for (std::size_t k = 2; k + 1 < bytes.size() && sof == 0; ++k)
      if (bytes[k] == 0xff && bytes[k + 1] == 0xc0) sof = k;
    REQUIRE(sof > 0);
    REQUIRE(bytes[sof + 5] * 256 + bytes[sof + 6] == 8);  // height, then width
    put_big_endian(bytes, sof + 7, 40000, 2);
    write_plain(dir / "wide.jpg", bytes);
    CHECK(refusal(dir / "wide.jpg") == (dir / "wide.jpg").string() + ": 40000 x 8" + bounds);
  }
}

TEST_CASE("A JPEG Huffman table of more than 256 codes is refused before stb_image builds it",
          "[image]") {
  // stb_image 2.27 would write past its 256-entry arrays (CVE-2021-37789; the fuzzer found it).
  const Scratch dir;
  const Bytes pixels(16 * 8 * 3, 90);
  REQUIRE(stbi_write_jpg((dir / "dht.jpg").c_str(), 16, 8, 3, pixels.data(), 90) != 0);
  CHECK(tn::data::read_image(dir / "dht.jpg").channels == 3);
  Bytes bytes = read_bytes(dir / "dht.jpg");
  std::size_t dht = 0;
  for (std::size_t k = 2; k + 1 < bytes.size() && dht == 0; ++k)
    if (bytes[k] == 0xff && bytes[k + 1] == 0xc4) dht = k;
  REQUIRE(dht > 0);
  // The first table's 16 counts (after the length and the class/id byte), the last one made 250.
  int codes = 250;
  for (std::size_t k = 0; k < 15; ++k) codes += bytes[dht + 5 + k];
  REQUIRE(codes > 256);
  bytes[dht + 5 + 15] = 250;
  write_plain(dir / "dht.jpg", bytes);
  CHECK(refusal(dir / "dht.jpg") == (dir / "dht.jpg").string() +
                                        ": corrupt JPEG: a Huffman table (DHT) of " +
                                        std::to_string(codes) + " codes, more than 256");
  // The same table after bytes between segments, which stb_image skips looking for the marker.
  bytes.insert(bytes.begin() + std::ptrdiff_t(dht), {0x14, 0x4c, 0x00});
  write_plain(dir / "padded.jpg", bytes);
  CHECK_THAT(refusal(dir / "padded.jpg"), Contains("a Huffman table (DHT) of "));
  // ... and in a JPEG led by 0xff fill bytes, which stb_image reads as a JPEG too.
  bytes.insert(bytes.begin(), {0xff, 0xff, 0xff});
  write_plain(dir / "filled.jpg", bytes);
  CHECK_THAT(refusal(dir / "filled.jpg"), Contains("a Huffman table (DHT) of "));
}

TEST_CASE("A JPEG scan using a Huffman table no DHT defined is refused before stb_image reads it",
          "[image]") {
  // stb_image 2.27 would decode with the uninitialised table and read far out of bounds (the
  // fuzzer found it).
  const Scratch dir;
  const Bytes pixels(16 * 8 * 3, 160);
  REQUIRE(stbi_write_jpg((dir / "scan.jpg").c_str(), 16, 8, 3, pixels.data(), 90) != 0);
  CHECK(tn::data::read_image(dir / "scan.jpg").channels == 3);
  const Bytes good = read_bytes(dir / "scan.jpg");
  std::size_t sos = 0;
  for (std::size_t k = 2; k + 1 < good.size() && sos == 0; ++k)
    if (good[k] == 0xff && good[k + 1] == 0xda) sos = k;
  REQUIRE(sos > 0);
  REQUIRE(good[sos + 4] == 3);  // three components, each (id, DC table << 4 | AC table)
  Bytes bytes = good;
  bytes[sos + 8] = 0x21;  // the second component: DC table 2, AC table 1
  write_plain(dir / "dc.jpg", bytes);
  CHECK(refusal(dir / "dc.jpg") == (dir / "dc.jpg").string() +
                                       ": corrupt JPEG: a scan uses Huffman table DC 2, which no "
                                       "DHT segment before it defines");
  bytes = good;
  bytes[sos + 10] = 0x13;  // the third: DC table 1, AC table 3
  write_plain(dir / "ac.jpg", bytes);
  CHECK_THAT(refusal(dir / "ac.jpg"), Contains("a scan uses Huffman table AC 3"));
}

TEST_CASE("to_input and resize_bilinear make images within read_image's bounds", "[image]") {
  const Image grey{1, 2, 2, {0, 0.25f, 0.5f, 1}};
  CHECK(tn::data::to_input(grey, 1, 1, 32768).size() == 32768);  // the largest side
  CHECK_THROWS_WITH(tn::data::to_input(grey, 1, 40000, 1),
                    "to_input: a size of 40000 x 1 pixels (from 1 to 32768 per side, 67108864 in "
                    "all)");
  CHECK_THROWS_WITH(tn::data::to_input(grey, 3, 10000, 10000, {{0, 0, 0}, {1, 1, 1}}),
                    Contains("to_input: a size of 10000 x 10000 pixels"));
  CHECK_THROWS_WITH(tn::data::resize_bilinear(grey, 32768, 32768),
                    Contains("resize_bilinear: a size of 32768 x 32768 pixels"));
  CHECK_THROWS_WITH(tn::data::to_input(grey, 1, 0, 28), Contains("to_input: a size of 0 x 28"));

  // Sizes whose product wraps around to the number of values are not that many values.
  const auto huge = std::size_t(1) << (std::numeric_limits<std::size_t>::digits - 1);
  const Image wraps{huge + 1, 2, 1, {0.5f, 0.5f}};  // (2^63 + 1) * 2 = 2 modulo 2^64
  CHECK_THROWS_WITH(tn::data::to_channels(wraps, 1), Contains("an image of 2 values is not"));
  CHECK_THROWS_WITH(tn::data::resize_bilinear(wraps, 4, 4), Contains("an image of 2 values"));

  // A normalizer that would divide by zero or spread NaN.
  CHECK(tn::data::to_input(grey, 1, 2, 2, {{0.5f}, {0.5f}}).pixels[3] == 1.0f);
  CHECK_THROWS_WITH(tn::data::to_input(grey, 1, 2, 2, {{0.5f}, {0.0f}}),
                    Contains("channel 0 of the normalizer has mean 0.500000 and standard "
                             "deviation 0.000000"));
  CHECK_THROWS_WITH(
      tn::data::to_input(grey, 1, 2, 2, {{std::numeric_limits<float>::quiet_NaN()}, {1.0f}}),
      Contains("channel 0 of the normalizer has mean nan"));
}
