// Short human-readable names of layer specs, for tn::summary. Run time only; not in any loop.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>
#include <string>

namespace typenet::detail {

// "5x3", or "5" when both axes agree.
inline std::string axes(std::size_t height, std::size_t width) {
  return height == width ? std::to_string(height)
                         : std::to_string(height) + "x" + std::to_string(width);
}

// A window is always shown as "5x5", so it reads as a window and not as a channel count.
inline std::string window(std::size_t height, std::size_t width) {
  return std::to_string(height) + "x" + std::to_string(width);
}

inline std::string ratio_text(long long num, long long den) {
  return den == 1 ? std::to_string(num) : std::to_string(num) + "/" + std::to_string(den);
}

}  // namespace typenet::detail
