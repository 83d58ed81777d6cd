// The checks of an image file's header before stb_image decodes it (see the header).
#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>

#include "typenet/data/dataset.hpp"
#include "typenet/data/image.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this file implements the internal header
#include "typenet/data/detail/image_header.hpp"

namespace typenet::data::detail {

void image_error(const std::filesystem::path& path, const std::string& what) {
  throw DataError(path.string() + ": " + what);
}

namespace {

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view magic) {
  return bytes.size() >= magic.size() &&
         std::equal(magic.begin(), magic.end(), bytes.begin(),
                    [](char m, std::uint8_t b) { return std::uint8_t(m) == b; });
}

std::uint32_t little_endian(std::span<const std::uint8_t> bytes, std::size_t at, int size) {
  std::uint32_t value = 0;
  for (int i = size - 1; i >= 0; --i) value = value << 8 | bytes[at + std::size_t(i)];
  return value;
}

std::uint32_t big_endian(std::span<const std::uint8_t> bytes, std::size_t at, int size) {
  std::uint32_t value = 0;
  for (int i = 0; i < size; ++i) value = value << 8 | bytes[at + std::size_t(i)];
  return value;
}

// Where a JPEG's segments begin, after its start-of-image marker; 0 if it has none. stb_image
// reads the marker as 0xff, any number of 0xff fill bytes, 0xd8: so does this.
std::size_t jpeg_start(std::span<const std::uint8_t> bytes) {
  if (bytes.empty() || bytes[0] != 0xff) return 0;
  std::size_t at = 1;
  while (at < bytes.size() && bytes[at] == 0xff) ++at;
  return at < bytes.size() && bytes[at] == 0xd8 ? at + 1 : 0;
}

// Width and height as the header of a PNG or BMP file declares them, or {0, 0} when the
// header does not say (stb_image then finds the fault). stb_image refuses a side above
// STBI_MAX_DIMENSIONS with "too large", but then tries every other format on the bytes and
// reports the last one's "unknown image type": the size is checked here first, for a sentence.
std::pair<std::uint64_t, std::uint64_t> declared_size(const std::string& format,
                                                      std::span<const std::uint8_t> bytes) {
  if (format == "PNG" && bytes.size() >= 24 && starts_with(bytes.subspan(12), "IHDR"))
    return {big_endian(bytes, 16, 4), big_endian(bytes, 20, 4)};
  if (format == "BMP" && bytes.size() >= 26) {
    const std::uint32_t info = little_endian(bytes, 14, 4);
    if (info == 12) return {little_endian(bytes, 18, 2), little_endian(bytes, 20, 2)};  // OS/2
    const auto width = std::int64_t(std::int32_t(little_endian(bytes, 18, 4)));
    const auto height = std::int64_t(std::int32_t(little_endian(bytes, 22, 4)));
    return {std::uint64_t(width < 0 ? -width : width),
            std::uint64_t(height < 0 ? -height : height)};
  }
  return {0, 0};
}

// The JPEG's segments, walked as stb_image's decoder reads them: a marker (after any 0xff fill
// bytes, and any other bytes before them, which stb_image skips too), its segment by its length,
// and after a start-of-scan the entropy-coded data up to the next marker (0xff followed by neither
// 0, a restart marker nor 0xff). Returns the width and height of the first start-of-frame ({0, 0}
// if none). stb_image 2.27 (Debian 12) builds a Huffman table of as many codes as a DHT segment's
// 16 counts add up to, into arrays of 256 and 257 (CVE-2021-37789, an out-of-bounds write the
// fuzzer found): such a table is refused here, read as stb_image reads it, table after table, even
// past the segment's stated length.
std::pair<std::uint64_t, std::uint64_t> check_jpeg(const std::filesystem::path& path,
                                                   std::span<const std::uint8_t> bytes) {
  std::pair<std::uint64_t, std::uint64_t> size{0, 0};
  bool framed = false, progressive = false;  // stb_image reads the first start-of-frame only
  // The Huffman tables DHT segments defined so far, DC and AC, 0-3: stb_image leaves the others
  // uninitialised (its decoder is malloc'd) and a scan that uses one reads far out of bounds.
  std::array<std::array<bool, 4>, 2> defined{};
  auto byte = [&](std::size_t at) -> std::uint32_t { return at < bytes.size() ? bytes[at] : 0; };
  std::size_t at = jpeg_start(bytes);
  while (at + 1 < bytes.size()) {
    if (bytes[at] != 0xff) {  // stb_image skips what is between segments, looking for 0xff
      ++at;
      continue;
    }
    while (at + 1 < bytes.size() && bytes[at + 1] == 0xff) ++at;
    if (at + 1 >= bytes.size()) return size;
    const std::uint32_t marker = bytes[at + 1];
    at += 2;
    if (marker == 0xd9) return size;                                     // end of image
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;  // no segment
    const std::uint32_t length = byte(at) << 8 | byte(at + 1);
    if (marker == 0xc4) {
      std::size_t table = at + 2;
      for (std::int64_t left = std::int64_t(length) - 2; left > 0 && table < bytes.size();) {
        std::uint32_t codes = 0;
        for (std::size_t k = 0; k < 16; ++k) codes += byte(table + 1 + k);
        if (codes > 256)
          image_error(path, "corrupt JPEG: a Huffman table (DHT) of " + std::to_string(codes) +
                                " codes, more than 256");
        const std::uint32_t kind = byte(table) >> 4, id = byte(table) & 15;
        if (kind <= 1 && id <= 3) defined[kind][id] = true;
        table += 17 + codes;
        left -= 17 + std::int64_t(codes);
      }
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc &&
        !framed) {
      framed = true;
      progressive = marker == 0xc2;
      size = {byte(at + 5) << 8 | byte(at + 6), byte(at + 3) << 8 | byte(at + 4)};
    }
    if (marker == 0xda) {  // a scan: the tables its components use, as stb_image decodes it
      const std::size_t components = byte(at + 2);
      const std::uint32_t first = byte(at + 3 + 2 * components);      // spectral selection start
      const std::uint32_t high = byte(at + 5 + 2 * components) >> 4;  // successive approximation
      for (std::size_t c = 0; c < components; ++c) {
        const std::uint32_t tables = byte(at + 4 + 2 * c), dc = tables >> 4, ac = tables & 15;
        const bool uses_dc = !progressive || (first == 0 && high == 0);
        const bool uses_ac = !progressive || first != 0;
        for (const auto& [used, kind, id] :
             {std::tuple{uses_dc, 0u, dc}, std::tuple{uses_ac, 1u, ac}})
          if (used && id <= 3 && !defined[kind][id])
            image_error(path, std::string("corrupt JPEG: a scan uses Huffman table ") +
                                  (kind == 0 ? "DC " : "AC ") + std::to_string(id) +
                                  ", which no DHT segment before it defines");
      }
    }
    at += length;
    if (marker == 0xda)  // the scan's entropy-coded data, to the next marker
      for (; at + 1 < bytes.size(); ++at) {
        if (bytes[at] != 0xff) continue;
        std::size_t next = at + 1;
        while (next < bytes.size() && bytes[next] == 0xff) ++next;
        if (next < bytes.size() && bytes[next] != 0 && (bytes[next] < 0xd0 || bytes[next] > 0xd7))
          break;
      }
  }
  return size;
}

// stb_image fills a truncated BMP with zeros without a word; the header says how long it is.
void check_bmp_length(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 26)
    image_error(path, "truncated BMP header (" + std::to_string(bytes.size()) + " bytes)");
  const std::uint64_t declared = little_endian(bytes, 2, 4);  // the whole file, or 0
  const std::uint64_t offset = little_endian(bytes, 10, 4);
  const std::uint32_t info = little_endian(bytes, 14, 4);
  std::uint64_t needed = declared;
  if (info >= 40 && bytes.size() >= 34) {  // BITMAPINFOHEADER or later
    const auto width = std::int32_t(little_endian(bytes, 18, 4));
    const auto height = std::int32_t(little_endian(bytes, 22, 4));
    const std::uint32_t bits = little_endian(bytes, 28, 2);
    const std::uint32_t compression = little_endian(bytes, 30, 4);
    if ((compression == 0 || compression == 3) && width > 0 && height != 0 &&
        std::uint64_t(width) <= max_image_side) {
      const std::uint64_t rows = height < 0 ? -std::int64_t(height) : height;
      const std::uint64_t stride = (std::uint64_t(bits) * std::uint64_t(width) + 31) / 32 * 4;
      if (rows <= max_image_side) needed = std::max(needed, offset + stride * rows);
    }
  }
  if (needed > bytes.size())
    image_error(path, "truncated BMP: its header promises " + std::to_string(needed) +
                          " bytes, the file has " + std::to_string(bytes.size()));
}

}  // namespace

std::string image_format(std::span<const std::uint8_t> bytes) {
  if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) return "PNG";
  if (jpeg_start(bytes) > 0) return "JPEG";
  if (starts_with(bytes, "BM")) return "BMP";
  if (starts_with(bytes, "P5")) return "PGM";
  if (starts_with(bytes, "P6")) return "PPM";
  return "";
}

void check_image_size(const std::filesystem::path& path, std::uint64_t width,
                      std::uint64_t height) {
  if (width > max_image_side || height > max_image_side || width * height > max_image_pixels)
    image_error(path, std::to_string(width) + " x " + std::to_string(height) +
                          " pixels is more than read_image accepts (" +
                          std::to_string(max_image_side) + " per side, " +
                          std::to_string(max_image_pixels) + " in all)");
}

std::pair<std::uint64_t, std::uint64_t> check_image_header(const std::filesystem::path& path,
                                                           const std::string& format,
                                                           std::span<const std::uint8_t> bytes) {
  if (format == "JPEG") return check_jpeg(path, bytes);
  if (format == "BMP") check_bmp_length(path, bytes);
  return declared_size(format, bytes);
}

}  // namespace typenet::data::detail
