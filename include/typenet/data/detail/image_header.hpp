// What read_image learns from an image file's header before stb_image decodes it: the format by
// its magic bytes, the size it declares (refused above read_image's bounds, with a sentence), and
// the faults stb_image 2.27 would not survive or not notice (a JPEG Huffman table it would write
// past, a truncated BMP it would fill with black). Implemented in src/data/detail/image_header.cpp.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <utility>

namespace typenet::data::detail {

// Throws DataError "<path>: <what>".
[[noreturn]] void image_error(const std::filesystem::path& path, const std::string& what);

// "PNG", "JPEG", "BMP", "PGM" (P5) or "PPM" (P6) by the magic bytes; "" for anything else.
std::string image_format(std::span<const std::uint8_t> bytes);

// Throws DataError with both sizes when width or height exceeds max_image_side or their product
// max_image_pixels.
void check_image_size(const std::filesystem::path& path, std::uint64_t width, std::uint64_t height);

// Width and height as a PNG's IHDR, a BMP's header or a JPEG's first start-of-frame declares
// them, {0, 0} when it does not say (stb_image then finds the fault). For a JPEG, also throws
// DataError for a Huffman table of more than 256 codes; for a BMP, for a file shorter than its
// header promises.
std::pair<std::uint64_t, std::uint64_t> check_image_header(const std::filesystem::path& path,
                                                           const std::string& format,
                                                           std::span<const std::uint8_t> bytes);

}  // namespace typenet::data::detail
