// Image files through stb_image (Debian's libstb-dev, a single-header library: its implementation
// is compiled here, static, so that it never clashes with a user's own copy) but for PGM/PPM, read
// here (read_pnm says why), and their conversion to a network's input.
#include "typenet/data/image.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "typenet/kernel/resize.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED
#include "typenet/data/detail/image_header.hpp"

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_NO_STDIO  // read_image reads the file itself, with its checks
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_MAX_DIMENSIONS (1 << 15)  // max_image_side
#include <stb/stb_image.h>

namespace typenet::data {

static_assert(STBI_MAX_DIMENSIONS == max_image_side);
static_assert(max_image_file_bytes < std::uintmax_t(1) << 31, "stb_image takes an int length");

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  detail::image_error(path, what);
}

std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const auto status = fs::status(path, error);
  if (status.type() == fs::file_type::not_found) fail(path, "no such file");
  if (error) fail(path, "cannot read (" + error.message() + ")");
  if (status.type() == fs::file_type::directory) fail(path, "is a directory, not an image file");
  if (status.type() != fs::file_type::regular) fail(path, "not a regular file");
  const std::uintmax_t size = fs::file_size(path, error);
  if (error) fail(path, "cannot read (" + error.message() + ")");
  if (size == 0) fail(path, "empty file (0 bytes)");
  if (size > max_image_file_bytes)
    fail(path, std::to_string(size) + " bytes is more than read_image accepts (" +
                   std::to_string(max_image_file_bytes) + " bytes)");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot open (") + std::strerror(errno) + ")");
  std::vector<std::uint8_t> bytes(size);
  in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size));
  if (std::size_t(in.gcount()) != size)
    fail(path, "read " + std::to_string(in.gcount()) + " of its " + std::to_string(size) +
                   " bytes (the file changed while being read?)");
  return bytes;
}

struct StbFree {
  void operator()(void* p) const { stbi_image_free(p); }
};

// Interleaved H x W x C samples to planar C x H x W floats, v / maxval.
template <class Sample>
Image planar(const Sample* samples, std::size_t channels, std::size_t height, std::size_t width,
             std::uint32_t maxval, const std::filesystem::path& path) {
  Image image{channels, height, width, std::vector<float>(channels * height * width)};
  const std::size_t plane = height * width;
  for (std::size_t p = 0; p < plane; ++p)
    for (std::size_t c = 0; c < channels; ++c) {
      const Sample v = samples[p * channels + c];
      if (v > maxval)
        fail(path, "sample " + std::to_string(v) + " at pixel " + std::to_string(p) +
                       " is above the header's maximum value " + std::to_string(maxval));
      image.pixels[c * plane + p] = float(v) / float(maxval);
    }
  return image;
}

// Binary PGM/PPM, read here: stb_image 2.27 (Debian 12) takes 16-bit samples in the machine's byte
// order where the format says big-endian, takes 8-bit ones as v / 255 whatever the maxval, does
// not notice missing samples, and parses the header's numbers into an int that can overflow.
Image read_pnm(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  const std::string kind = detail::image_format(bytes);
  std::size_t at = 2;
  auto number = [&](const char* what) {
    auto space = [](std::uint8_t b) { return b == ' ' || (b >= '\t' && b <= '\r'); };
    for (;;) {  // whitespace and # comments
      while (at < bytes.size() && space(bytes[at])) ++at;
      if (at >= bytes.size() || bytes[at] != '#') break;
      while (at < bytes.size() && bytes[at] != '\n' && bytes[at] != '\r') ++at;
    }
    if (at >= bytes.size() || bytes[at] < '0' || bytes[at] > '9')
      fail(path, kind + " header: the " + what + " is missing or not a number");
    std::uint64_t value = 0;
    while (at < bytes.size() && bytes[at] >= '0' && bytes[at] <= '9') {
      value = value * 10 + std::uint64_t(bytes[at++] - '0');
      if (value > 1'000'000) fail(path, kind + " header: the " + what + " is absurdly large");
    }
    if (value == 0) fail(path, kind + " header: the " + what + " is 0");
    return value;
  };
  const std::uint64_t width = number("width"), height = number("height");
  const std::uint64_t maxval = number("maximum value");
  if (maxval > 65535)
    fail(path, kind + " header: maximum value " + std::to_string(maxval) + " is above 65535");
  detail::check_image_size(path, width, height);
  ++at;  // the single whitespace character before the samples
  const std::size_t channels = kind == "PPM" ? 3 : 1, bytes_per_sample = maxval > 255 ? 2 : 1;
  const std::uint64_t needed = width * height * channels * bytes_per_sample;
  const std::uint64_t present = bytes.size() > at ? bytes.size() - at : 0;
  if (present < needed)
    fail(path, "truncated " + kind + ": " + std::to_string(width) + " x " + std::to_string(height) +
                   " samples need " + std::to_string(needed) + " bytes, " +
                   std::to_string(present) + " follow the header");
  std::vector<std::uint16_t> samples(width * height * channels);
  for (std::size_t k = 0; k < samples.size(); ++k)
    samples[k] = bytes_per_sample == 1
                     ? bytes[at + k]
                     : std::uint16_t(bytes[at + 2 * k] << 8 | bytes[at + 2 * k + 1]);  // big-endian
  return planar(samples.data(), channels, height, width, std::uint32_t(maxval), path);
}

// The sizes resize_bilinear and to_input make: those read_image reads.
void check_output_size(const char* who, std::size_t height, std::size_t width) {
  if (height == 0 || width == 0 || height > max_image_side || width > max_image_side ||
      height * width > max_image_pixels)
    throw std::invalid_argument(std::string(who) + ": a size of " + std::to_string(height) + " x " +
                                std::to_string(width) + " pixels (from 1 to " +
                                std::to_string(max_image_side) + " per side, " +
                                std::to_string(max_image_pixels) + " in all)");
}

// channels x height x width == pixels.size(), without overflowing on absurd sizes.
bool consistent(const Image& image) {
  const std::size_t n = image.pixels.size();
  return image.channels > 0 && image.height > 0 && image.width > 0 && n % image.channels == 0 &&
         n / image.channels % image.height == 0 && n / image.channels / image.height == image.width;
}

std::string shape_of(const Image& image) {
  return "an image of " + std::to_string(image.pixels.size()) + " values is not " +
         std::to_string(image.channels) + " x " + std::to_string(image.height) + " x " +
         std::to_string(image.width);
}

}  // namespace

Image read_image(const std::filesystem::path& path) { return decode_image(read_file(path), path); }

Image decode_image(std::span<const std::uint8_t> bytes, const std::filesystem::path& path) {
  if (bytes.empty()) fail(path, "empty file (0 bytes)");
  if (bytes.size() > max_image_file_bytes)
    fail(path, std::to_string(bytes.size()) + " bytes is more than read_image accepts (" +
                   std::to_string(max_image_file_bytes) + " bytes)");
  const std::string format = detail::image_format(bytes);
  if (format.empty() && bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '4')
    fail(path, "a plain (ASCII) or bit-map netpbm file (P" + std::string(1, char(bytes[1])) +
                   "); read_image reads binary PGM (P5) and PPM (P6)");
  if (format == "PGM" || format == "PPM") return read_pnm(path, bytes);
  const auto [declared_width, declared_height] = detail::check_image_header(path, format, bytes);
  detail::check_image_size(path, declared_width, declared_height);

  const auto* data = bytes.data();
  const int length = int(bytes.size());
  // stb_image would try each of its decoders on the bytes, JPEG's without the checks above.
  if (format.empty())
    fail(path,
         "not a PNG, JPEG, BMP or binary PGM/PPM file (it begins with none of their "
         "signatures)");
  auto decode_error = [&] {
    // stb_image names an unknown PNG chunk by its 4 type bytes, which past the end of a cut file
    // are zeros (an empty reason) and in a corrupt one may be control characters.
    std::string reason = stbi_failure_reason() ? stbi_failure_reason() : "";
    for (char& c : reason)
      if (c < 0x20 || c > 0x7e) c = '?';
    if (reason.empty()) reason = "it gave no reason";
    fail(path, "cannot decode this " + format +
                   " file, truncated or corrupt (stb_image: " + reason + ")");
  };
  int width = 0, height = 0, channels = 0;
  if (!stbi_info_from_memory(data, length, &width, &height, &channels)) decode_error();
  // A negative BMP height is the top-down row order, which stb_image reads; info passes it on.
  if (format == "BMP" && height < 0 && height > std::numeric_limits<int>::min()) height = -height;
  if (width <= 0 || height <= 0)
    fail(path, "a size of " + std::to_string(width) + " x " + std::to_string(height) + " pixels");
  detail::check_image_size(path, std::uint64_t(width), std::uint64_t(height));

  int w = 0, h = 0, c = 0;
  if (stbi_is_16_bit_from_memory(data, length)) {
    std::unique_ptr<stbi_us, StbFree> samples(
        stbi_load_16_from_memory(data, length, &w, &h, &c, 0));
    if (!samples) decode_error();
    return planar(samples.get(), std::size_t(c), std::size_t(h), std::size_t(w), 65535, path);
  }
  std::unique_ptr<stbi_uc, StbFree> samples(stbi_load_from_memory(data, length, &w, &h, &c, 0));
  if (!samples) decode_error();
  return planar(samples.get(), std::size_t(c), std::size_t(h), std::size_t(w), 255, path);
}

Mask read_mask(const std::filesystem::path& path) {
  // The PNG header says what read_image's floats were scaled by, and whether the file was grey.
  const auto bytes = read_file(path);
  const std::string format = detail::image_format(bytes);
  if (format != "PNG")
    fail(path, "a mask must be a PNG file of class indices (this is " +
                   (format.empty() ? std::string("no PNG") : "a " + format) + " file)");
  if (bytes.size() < 26 || !std::equal(bytes.begin() + 12, bytes.begin() + 16, "IHDR"))
    fail(path, "truncated or corrupt PNG (no IHDR header)");
  const unsigned depth = bytes[24], colour = bytes[25];
  if (colour != 0)
    fail(path, std::string("a mask must be a grey PNG whose values are class indices; this one ") +
                   (colour == 3 ? "has a palette (stb_image expands it to RGB and its indices "
                                  "are lost: save the indices as a grey PNG)"
                                : "has colour or alpha channels"));
  const Image image = read_image(path);
  if (image.channels != 1) fail(path, "a mask must have 1 channel");
  const double maxval = depth == 16 ? 65535.0 : double((1u << depth) - 1);
  Mask mask{image.height, image.width, std::vector<int>(image.pixels.size())};
  for (std::size_t i = 0; i < image.pixels.size(); ++i)
    mask.classes[i] = int(std::lround(double(image.pixels[i]) * maxval));
  return mask;
}

Image to_channels(const Image& image, std::size_t channels) {
  if (!consistent(image)) throw std::invalid_argument("to_channels: " + shape_of(image));
  if (channels == image.channels) return image;
  if ((channels != 1 && channels != 3) || image.channels > 4)
    throw std::invalid_argument("to_channels: cannot turn " + std::to_string(image.channels) +
                                " channels into " + std::to_string(channels) +
                                " (1 grey, 3 RGB; from 1 to 4: grey, grey + alpha, RGB, RGBA)");
  const bool colour = image.channels >= 3;
  Image out{channels, image.height, image.width,
            std::vector<float>(channels * image.height * image.width)};
  const std::size_t plane = image.height * image.width;
  if (channels == 1 && colour) {
    const float *r = image.pixels.data(), *g = r + plane, *b = g + plane;
    for (std::size_t p = 0; p < plane; ++p)
      out.pixels[p] = 0.299f * r[p] + 0.587f * g[p] + 0.114f * b[p];
  } else {
    // Grey from grey (+ alpha), RGB from RGB (+ alpha): the first planes; RGB from grey: repeated.
    for (std::size_t c = 0; c < channels; ++c) {
      const auto from = image.plane(colour ? c : 0);
      std::copy(from.begin(), from.end(), out.pixels.begin() + std::ptrdiff_t(c * plane));
    }
  }
  return out;
}

Image resize_bilinear(const Image& image, std::size_t height, std::size_t width) {
  check_output_size("resize_bilinear", height, width);
  if (!consistent(image)) throw std::invalid_argument("resize_bilinear: " + shape_of(image));
  if (height == image.height && width == image.width) return image;
  Image out{image.channels, height, width, std::vector<float>(image.channels * height * width)};
  kernel::upsample_bilinear_forward<float>(
      {image.channels, image.height, image.width, height, width}, image.pixels.data(),
      out.pixels.data(), 1);
  return out;
}

Image to_input(const Image& image, std::size_t channels, std::size_t height, std::size_t width) {
  check_output_size("to_input", height, width);
  return resize_bilinear(to_channels(image, channels), height, width);
}

Image to_input(const Image& image, std::size_t channels, std::size_t height, std::size_t width,
               const Normalizer& normalizer) {
  if (normalizer.mean.size() != channels || normalizer.stddev.size() != channels)
    throw std::invalid_argument(
        "to_input: the normalizer has " + std::to_string(normalizer.mean.size()) + " means and " +
        std::to_string(normalizer.stddev.size()) + " standard deviations for " +
        std::to_string(channels) + " channels");
  for (std::size_t c = 0; c < channels; ++c)
    if (!std::isfinite(normalizer.mean[c]) || !std::isfinite(normalizer.stddev[c]) ||
        !(normalizer.stddev[c] > 0))
      throw std::invalid_argument("to_input: channel " + std::to_string(c) +
                                  " of the normalizer has mean " +
                                  std::to_string(normalizer.mean[c]) + " and standard deviation " +
                                  std::to_string(normalizer.stddev[c]) +
                                  " (a finite mean and a positive, finite deviation)");
  Image out = to_input(image, channels, height, width);
  const std::size_t plane = height * width;
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t k = 0; k < plane; ++k) {
      float& p = out.pixels[c * plane + k];
      p = (p - normalizer.mean[c]) / normalizer.stddev[c];  // as Normalizer::apply
    }
  return out;
}

Dataset to_dataset(const std::vector<Image>& images, std::vector<int> labels, std::size_t classes) {
  if (images.size() != labels.size())
    throw DataError("to_dataset: " + std::to_string(images.size()) + " images and " +
                    std::to_string(labels.size()) + " labels");
  if (images.empty()) throw DataError("to_dataset: no images");
  const Image& first = images.front();
  std::vector<float> values;
  values.reserve(images.size() * first.size());
  for (std::size_t i = 0; i < images.size(); ++i) {
    const Image& image = images[i];
    if (image.channels != first.channels || image.height != first.height ||
        image.width != first.width || image.pixels.size() != image.size())
      throw DataError("to_dataset: image " + std::to_string(i) + " is " +
                      std::to_string(image.channels) + " x " + std::to_string(image.height) +
                      " x " + std::to_string(image.width) + " (" +
                      std::to_string(image.pixels.size()) + " values), image 0 " +
                      std::to_string(first.channels) + " x " + std::to_string(first.height) +
                      " x " + std::to_string(first.width) + " (to_input gives them one shape)");
    values.insert(values.end(), image.pixels.begin(), image.pixels.end());
  }
  return Dataset::from_arrays(std::move(values), std::move(labels), first.channels, first.height,
                              first.width, classes);
}

}  // namespace typenet::data
