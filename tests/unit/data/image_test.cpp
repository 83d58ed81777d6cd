// Image files (written here with stb_image_write, or by hand) read back; conversion to a network's
// input against hand-computed values; every broken file an error naming it, beside a good twin.
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
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

// A binary PGM (P5) or PPM (P6), written by hand: the header, then the samples.
Bytes netpbm(const std::string& header, const Bytes& samples) {
  Bytes bytes(header.begin(), header.end());
  bytes.insert(bytes.end(), samples.begin(), samples.end());
  return bytes;
}

// Interleaved 8-bit samples of an image whose values are multiples of 1/255.
Bytes interleaved(std::span<const float> planes, std::size_t channels) {
  const std::size_t plane = planes.size() / channels;
  Bytes bytes(planes.size());
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t p = 0; p < plane; ++p)
      bytes[p * channels + c] = std::uint8_t(std::lround(planes[c * plane + p] * 255));
  return bytes;
}

// A 16-bit grey PNG, by hand (stb_image_write writes 8 bits): signature, IHDR, one zlib IDAT
// of rows each led by filter byte 0, IEND; samples big-endian, chunks with their CRC-32.
Bytes png16(std::uint32_t width, std::uint32_t height, const std::vector<std::uint16_t>& samples) {
  Bytes png{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  auto be32 = [](Bytes& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(std::uint8_t(v >> shift));
  };
  auto chunk = [&](const char* type, const Bytes& data) {
    be32(png, std::uint32_t(data.size()));
    Bytes body(type, type + 4);
    body.insert(body.end(), data.begin(), data.end());
    png.insert(png.end(), body.begin(), body.end());
    be32(png, std::uint32_t(crc32(0, body.data(), uInt(body.size()))));
  };
  Bytes header;
  be32(header, width);
  be32(header, height);
  header.insert(header.end(), {16, 0, 0, 0, 0});  // 16 bits, grey, deflate, no filter, no interlace
  chunk("IHDR", header);
  Bytes raw;
  for (std::uint32_t y = 0; y < height; ++y) {
    raw.push_back(0);
    for (std::uint32_t x = 0; x < width; ++x) {
      raw.push_back(std::uint8_t(samples[y * width + x] >> 8));
      raw.push_back(std::uint8_t(samples[y * width + x]));
    }
  }
  Bytes packed(compressBound(uLong(raw.size())));
  uLongf size = uLongf(packed.size());
  REQUIRE(compress(packed.data(), &size, raw.data(), uLong(raw.size())) == Z_OK);
  packed.resize(size);
  chunk("IDAT", packed);
  chunk("IEND", {});
  return png;
}

void rejects(const fs::path& path, const std::string& what) {
  INFO(path.string() << " should be refused with \"" << what << "\"");
  try {
    tn::data::read_image(path);
    FAIL("read_image accepted it");
  } catch (const tn::data::DataError& error) {
    CHECK_THAT(std::string(error.what()), Contains(path.string()) && Contains(what));
  }
}

Image image(std::size_t c, std::size_t h, std::size_t w, std::vector<float> pixels) {
  return Image{c, h, w, std::move(pixels)};
}

}  // namespace

TEST_CASE("Fashion-MNIST test images written as PNG, BMP and PGM read back exactly", "[image]") {
  const Scratch dir;
  const auto test = tn::data::fashion_mnist().test.head(20);
  for (std::size_t i = 0; i < test.size(); ++i) {
    INFO("test image " << i);
    const auto sample = test.image(i);
    const Bytes grey = interleaved(sample, 1);
    const auto png = dir / ("fashion-" + std::to_string(i) + ".png");
    REQUIRE(stbi_write_png(png.c_str(), 28, 28, 1, grey.data(), 28) != 0);
    const Image from_png = tn::data::read_image(png);
    REQUIRE(from_png.channels == 1);
    REQUIRE(from_png.height == 28);
    REQUIRE(from_png.width == 28);
    CHECK(std::equal(sample.begin(), sample.end(), from_png.pixels.begin(), from_png.pixels.end()));

    // BMP holds colour: the same values in R, G and B.
    const auto bmp = dir / ("fashion-" + std::to_string(i) + ".bmp");
    REQUIRE(stbi_write_bmp(bmp.c_str(), 28, 28, 1, grey.data()) != 0);
    const Image from_bmp = tn::data::read_image(bmp);
    REQUIRE(from_bmp.channels == 3);
    for (std::size_t c = 0; c < 3; ++c)
      CHECK(std::equal(sample.begin(), sample.end(), from_bmp.plane(c).begin()));

    const auto pgm = dir / ("fashion-" + std::to_string(i) + ".pgm");
    write_plain(pgm, netpbm("P5\n# Fashion-MNIST\n28 28\n255\n", grey));
    CHECK(tn::data::read_image(pgm).pixels == from_png.pixels);

    // JPEG is lossy: close on average, and the same image to the eye.
    const auto jpg = dir / ("fashion-" + std::to_string(i) + ".jpg");
    REQUIRE(stbi_write_jpg(jpg.c_str(), 28, 28, 1, grey.data(), 100) != 0);
    const Image from_jpg = tn::data::to_channels(tn::data::read_image(jpg), 1);
    REQUIRE(from_jpg.size() == sample.size());
    double error = 0;
    for (std::size_t k = 0; k < sample.size(); ++k)
      error += std::abs(double(from_jpg.pixels[k]) - sample[k]);
    CHECK(error / double(sample.size()) < 0.02);
  }
}

TEST_CASE("Colour PNG and PPM: planes in R, G, B (, A) order, 16 bits and any maxval", "[image]") {
  const Scratch dir;
  // 2 x 3 pixels, RGBA; pixel (y, x) has R = 10 y + x, G = 100, B = 255 - R, A = 40 x.
  Bytes rgba;
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 3; ++x)
      for (int v : {10 * y + x, 100, 255 - 10 * y - x, 40 * x}) rgba.push_back(std::uint8_t(v));
  REQUIRE(stbi_write_png((dir / "rgba.png").c_str(), 3, 2, 4, rgba.data(), 3 * 4) != 0);
  const Image read = tn::data::read_image(dir / "rgba.png");
  REQUIRE(read.channels == 4);
  REQUIRE(read.height == 2);
  REQUIRE(read.width == 3);
  CHECK(read.at(0, 1, 2) == 12.0f / 255.0f);
  CHECK(read.at(1, 1, 2) == 100.0f / 255.0f);
  CHECK(read.at(2, 1, 2) == 243.0f / 255.0f);
  CHECK(read.at(3, 1, 2) == 80.0f / 255.0f);

  // The same pixels without alpha as a PPM.
  Bytes rgb;
  for (std::size_t k = 0; k < rgba.size(); ++k)
    if (k % 4 != 3) rgb.push_back(rgba[k]);
  write_plain(dir / "rgb.ppm", netpbm("P6 3 2 255\n", rgb));
  const Image ppm = tn::data::read_image(dir / "rgb.ppm");
  REQUIRE(ppm.channels == 3);
  CHECK(std::vector<float>(read.pixels.begin(), read.pixels.begin() + 18) == ppm.pixels);

  // 16-bit samples are big-endian, v / 65535 (stb_image 2.27 alone reads 256 as 1); a maxval of
  // 15 or 1000 makes 15 or 1000 white.
  write_plain(dir / "deep.pgm", netpbm("P5 3 1 65535\n", {0, 0, 1, 0, 255, 255}));
  CHECK(tn::data::read_image(dir / "deep.pgm").pixels ==
        std::vector<float>{0.0f, 256.0f / 65535.0f, 1.0f});
  write_plain(dir / "deep.ppm", netpbm("P6 1 1 1000\n", {0x03, 0xe8, 0, 0, 0x01, 0xf4}));
  CHECK(tn::data::read_image(dir / "deep.ppm").pixels == std::vector<float>{1.0f, 0.0f, 0.5f});
  write_plain(dir / "deep.png", png16(3, 1, {0, 256, 65535}));
  CHECK(tn::data::read_image(dir / "deep.png").pixels ==
        std::vector<float>{0.0f, 256.0f / 65535.0f, 1.0f});
  write_plain(dir / "four-bit.pgm", netpbm("P5 3 1 15\n", {0, 5, 15}));
  CHECK(tn::data::read_image(dir / "four-bit.pgm").pixels ==
        std::vector<float>{0.0f, 5.0f / 15.0f, 1.0f});
  write_plain(dir / "four-bit.pgm", netpbm("P5 3 1 15\n", {0, 5, 16}));
  rejects(dir / "four-bit.pgm", "sample 16 at pixel 2 is above the header's maximum value 15");
}

TEST_CASE("Channels: grey from RGB by BT.601 luma, RGB from grey repeated, alpha dropped",
          "[image]") {
  // Pixel 0: R 1, G 0, B 0.25; pixel 1: R 0, G 0.5, B 1.
  const Image rgb = image(3, 1, 2, {1, 0, 0, 0.5f, 0.25f, 1});
  const Image grey = tn::data::to_channels(rgb, 1);
  REQUIRE(grey.channels == 1);
  CHECK(grey.pixels[0] == Approx(0.299 * 1 + 0.114 * 0.25));  // 0.3275
  CHECK(grey.pixels[1] == Approx(0.587 * 0.5 + 0.114 * 1));   // 0.4075
  CHECK(tn::data::to_channels(rgb, 3).pixels == rgb.pixels);

  // RGBA: the alpha plane is dropped, not composited.
  const Image rgba = image(4, 1, 2, {1, 0, 0, 0.5f, 0.25f, 1, 0.1f, 0.2f});
  CHECK(tn::data::to_channels(rgba, 3).pixels == rgb.pixels);
  CHECK(tn::data::to_channels(rgba, 1).pixels == grey.pixels);

  const Image g = image(1, 1, 2, {0.2f, 0.7f});
  CHECK(tn::data::to_channels(g, 3).pixels ==
        std::vector<float>{0.2f, 0.7f, 0.2f, 0.7f, 0.2f, 0.7f});
  const Image grey_alpha = image(2, 1, 2, {0.2f, 0.7f, 1, 0});
  CHECK(tn::data::to_channels(grey_alpha, 1).pixels == g.pixels);
  CHECK(tn::data::to_channels(grey_alpha, 3).pixels == tn::data::to_channels(g, 3).pixels);
  CHECK(tn::data::to_channels(grey_alpha, 2).pixels == grey_alpha.pixels);  // as it is

  CHECK_THROWS_AS(tn::data::to_channels(rgb, 2), std::invalid_argument);
  CHECK_THROWS_WITH(tn::data::to_channels(rgb, 4), Contains("cannot turn 3 channels into 4"));
  CHECK_THROWS_AS(tn::data::to_channels(Image{}, 1), std::invalid_argument);
}

TEST_CASE("Bilinear resize with half-pixel centres: PyTorch's align_corners=False", "[image]") {
  // Output i samples the input at s = (i + 0.5) * in / out - 0.5, clamped at 0 (and at in - 1).
  // 2 -> 4: s = -0.25 (0), 0.25, 0.75, 1.25 (1), so a row [a, b] becomes
  // [a, 0.75 a + 0.25 b, 0.25 a + 0.75 b, b]; for [[0, 1], [2, 3]] (value 2 row + column) this is
  // F.interpolate(torch.tensor([[[[0., 1], [2, 3]]]]), size=(4, 4), mode="bilinear",
  // align_corners=False):
  const Image small = image(1, 2, 2, {0, 1, 2, 3});
  const Image up = tn::data::resize_bilinear(small, 4, 4);
  const std::vector<float> expected_up{0,    0.25f, 0.75f, 1,    0.5f, 0.75f, 1.25f, 1.5f,
                                       1.5f, 1.75f, 2.25f, 2.5f, 2,    2.25f, 2.75f, 3};
  REQUIRE(up.height == 4);
  REQUIRE(up.width == 4);
  for (std::size_t k = 0; k < 16; ++k) CHECK(up.pixels[k] == Approx(expected_up[k]));

  // 4 -> 2: s = 0.5, 2.5: each output is the mean of a 2 x 2 block of 0..15.
  std::vector<float> ramp(16);
  for (std::size_t k = 0; k < 16; ++k) ramp[k] = float(k);
  const Image down = tn::data::resize_bilinear(image(1, 4, 4, ramp), 2, 2);
  const std::vector<float> expected_down{2.5f, 4.5f, 10.5f, 12.5f};  // (0 + 1 + 4 + 5) / 4, ...
  for (std::size_t k = 0; k < 4; ++k) CHECK(down.pixels[k] == Approx(expected_down[k]));

  // Ratios that do not divide: 3 -> 2 samples s = 0.25, 1.75; 3 -> 5 samples s = -0.2 (0), 0.4,
  // 1, 1.6, 2.2 (2).
  const Image row = image(1, 1, 3, {0, 1, 2});
  const Image narrower = tn::data::resize_bilinear(row, 1, 2);
  CHECK(narrower.pixels[0] == Approx(0.25));
  CHECK(narrower.pixels[1] == Approx(1.75));
  const Image wider = tn::data::resize_bilinear(row, 1, 5);
  const std::vector<float> expected_wider{0, 0.4f, 1, 1.6f, 2};
  for (std::size_t k = 0; k < 5; ++k) CHECK(wider.pixels[k] == Approx(expected_wider[k]));

  // Every channel alike; the same size is the same image; a size of 0 is refused.
  const Image two = tn::data::resize_bilinear(image(2, 2, 2, {0, 1, 2, 3, 0, 10, 20, 30}), 4, 4);
  for (std::size_t k = 0; k < 16; ++k) CHECK(two.pixels[16 + k] == Approx(10 * expected_up[k]));
  CHECK(tn::data::resize_bilinear(small, 2, 2).pixels == small.pixels);
  CHECK_THROWS_AS(tn::data::resize_bilinear(small, 0, 4), std::invalid_argument);
}

TEST_CASE("to_input: channels, size and the training normalisation, and to_dataset", "[image]") {
  const Image rgb = image(3, 2, 2, {1, 0, 0, 1, 0, 1, 0, 1, 0.5f, 0.5f, 0.5f, 0.5f});
  const Image input = tn::data::to_input(rgb, 1, 4, 4);
  REQUIRE(input.size() == 16);
  CHECK(input.pixels == tn::data::resize_bilinear(tn::data::to_channels(rgb, 1), 4, 4).pixels);

  // Normalised exactly as Normalizer::apply normalises a dataset.
  const tn::data::Normalizer norm{{0.25f}, {0.5f}};
  const Image normalised = tn::data::to_input(rgb, 1, 4, 4, norm);
  auto data = tn::data::to_dataset({input, input}, {3, 1}, 10);
  REQUIRE(data.size() == 2);
  CHECK(data.channels == 1);
  CHECK(data.height == 4);
  CHECK(data.labels == std::vector<int>{3, 1});
  norm.apply(data);
  CHECK(std::equal(normalised.pixels.begin(), normalised.pixels.end(), data.image(1).begin()));

  CHECK_THROWS_WITH(tn::data::to_input(rgb, 3, 4, 4, norm),
                    Contains("the normalizer has 1 means and 1 standard deviations for 3"));
  CHECK_THROWS_WITH(tn::data::to_dataset({input, rgb}, {0, 0}, 10),
                    Contains("image 1 is 3 x 2 x 2"));
  CHECK_THROWS_WITH(tn::data::to_dataset({input}, {0, 1}, 10), Contains("1 images and 2 labels"));
  CHECK_THROWS_WITH(tn::data::to_dataset({input}, {10}, 10), Contains("label 10 of row 0"));
}

TEST_CASE("Broken image files are errors naming the file, each beside a good twin", "[image]") {
  const Scratch dir;
  Bytes pixels(6 * 4 * 3);
  for (std::size_t k = 0; k < pixels.size(); ++k) pixels[k] = std::uint8_t(k * 3);

  SECTION("truncated PNG") {
    REQUIRE(stbi_write_png((dir / "cut.png").c_str(), 6, 4, 3, pixels.data(), 18) != 0);
    CHECK(tn::data::read_image(dir / "cut.png").pixels.size() == 72);
    Bytes bytes = read_bytes(dir / "cut.png");
    bytes.resize(bytes.size() / 2);
    write_plain(dir / "cut.png", bytes);
    rejects(dir / "cut.png", "cannot decode this PNG file, truncated or corrupt (stb_image: ");
  }
  SECTION("truncated JPEG") {
    REQUIRE(stbi_write_jpg((dir / "cut.jpg").c_str(), 6, 4, 3, pixels.data(), 90) != 0);
    CHECK(tn::data::read_image(dir / "cut.jpg").channels == 3);
    Bytes bytes = read_bytes(dir / "cut.jpg");
    bytes.resize(bytes.size() - 10);
    write_plain(dir / "cut.jpg", bytes);
    rejects(dir / "cut.jpg", "cannot decode this JPEG file");
  }
  SECTION("truncated BMP (stb_image alone would fill it with black)") {
    REQUIRE(stbi_write_bmp((dir / "cut.bmp").c_str(), 6, 4, 3, pixels.data()) != 0);
    CHECK(tn::data::read_image(dir / "cut.bmp").pixels.size() == 72);
    Bytes bytes = read_bytes(dir / "cut.bmp");
    const std::string whole = std::to_string(bytes.size());
    bytes.pop_back();
    write_plain(dir / "cut.bmp", bytes);
    rejects(dir / "cut.bmp", "truncated BMP: its header promises " + whole +
                                 " bytes, the file has " + std::to_string(bytes.size()));
  }
  SECTION("truncated PGM") {
    write_plain(dir / "cut.pgm", netpbm("P5 6 4 255\n", Bytes(24, 7)));
    CHECK(tn::data::read_image(dir / "cut.pgm").pixels.size() == 24);
    write_plain(dir / "cut.pgm", netpbm("P5 6 4 255\n", Bytes(23, 7)));
    rejects(dir / "cut.pgm", "truncated PGM: 6 x 4 samples need 24 bytes, 23 follow the header");
  }
  SECTION("PGM headers: a missing field, 0, absurd sizes, ASCII PGM") {
    write_plain(dir / "header.pgm", netpbm("P5 2 2\n# maxval next\n255\n", Bytes(4, 1)));
    CHECK(tn::data::read_image(dir / "header.pgm").width == 2);
    write_plain(dir / "header.pgm", netpbm("P5 2 x 255\n", Bytes(4, 1)));
    rejects(dir / "header.pgm", "PGM header: the height is missing or not a number");
    write_plain(dir / "header.pgm", netpbm("P5 0 2 255\n", Bytes(4, 1)));
    rejects(dir / "header.pgm", "PGM header: the width is 0");
    write_plain(dir / "header.pgm", netpbm("P5 99999999999999 2 255\n", Bytes(4, 1)));
    rejects(dir / "header.pgm", "PGM header: the width is absurdly large");
    write_plain(dir / "header.pgm", netpbm("P5 2 2 65536\n", Bytes(8, 1)));
    rejects(dir / "header.pgm", "maximum value 65536 is above 65535");
    // As wide as read_image takes, and one more.
    write_plain(dir / "wide.pgm", netpbm("P5 32768 1 255\n", Bytes(32768, 9)));
    CHECK(tn::data::read_image(dir / "wide.pgm").width == 32768);
    write_plain(dir / "wide.pgm", netpbm("P5 32769 1 255\n", Bytes(32769, 9)));
    rejects(dir / "wide.pgm", "32769 x 1 pixels is more than read_image accepts");
    write_plain(dir / "ascii.pgm", {'P', '2', ' ', '1', ' ', '1', ' ', '9', ' ', '5', '\n'});
    rejects(dir / "ascii.pgm", "a plain (ASCII) or bit-map netpbm file (P2)");
  }
  SECTION("garbage bytes") {
    const std::string text = "P5 4 2 255\n these are not pixels";
    write_plain(dir / "garbage.pgm", Bytes(text.begin(), text.end()));
    CHECK(tn::data::read_image(dir / "garbage.pgm").size() == 8);  // 8 bytes of pixels follow
    write_plain(dir / "garbage.png", Bytes(text.begin() + 11, text.end()));
    rejects(dir / "garbage.png",
            "not a PNG, JPEG, BMP or binary PGM/PPM file (it begins with none");
    write_plain(dir / "garbage.png", {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3});
    rejects(dir / "garbage.png", "cannot decode this PNG file");
  }
  SECTION("empty file") {
    write_plain(dir / "one.pgm", netpbm("P5 1 1 255\n", {255}));
    CHECK(tn::data::read_image(dir / "one.pgm").pixels == std::vector<float>{1.0f});
    write_plain(dir / "empty.png", {});
    rejects(dir / "empty.png", "empty file (0 bytes)");
  }
  SECTION("a directory") {
    fs::create_directories(dir / "images.png");
    REQUIRE(stbi_write_png((dir / "images.png" / "a.png").c_str(), 6, 4, 3, pixels.data(), 18));
    CHECK(tn::data::read_image(dir / "images.png" / "a.png").height == 4);
    rejects(dir / "images.png", "is a directory");
  }
  SECTION("a missing file") {
    rejects(dir / "missing.png", "no such file");
    REQUIRE(stbi_write_png((dir / "missing.png").c_str(), 6, 4, 3, pixels.data(), 18));
    CHECK(tn::data::read_image(dir / "missing.png").width == 6);
  }
  SECTION("a file larger than read_image accepts, refused before reading") {
    // Its twin is every other file here. Sparse: it takes no disk, and is never read.
    write_plain(dir / "huge.bmp", {'B', 'M'});
    fs::resize_file(dir / "huge.bmp", tn::data::max_image_file_bytes + 1);
    rejects(dir / "huge.bmp", std::to_string(tn::data::max_image_file_bytes + 1) +
                                  " bytes is more than read_image accepts");
  }
}
