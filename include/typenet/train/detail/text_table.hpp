// Text for result tables (hyper-parameter searches, cross-validation): CSV rows and aligned
// columns. Implemented in src/train/detail/text_table.cpp.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <string>
#include <vector>

namespace typenet::detail {

// The shortest text that reads back as exactly `value` (std::to_chars); "nan", "inf", "-inf".
std::string shortest(double value);
// `value` with `digits` significant digits (printf's %.*g).
std::string significant(double value, int digits);
// A CSV line ending in "\n": a field holding a comma, a quote or a line break is quoted, its
// quotes doubled (RFC 4180).
std::string csv_row(const std::vector<std::string>& fields);
// Rows (the first is the header) as left-aligned columns two spaces apart, a line each.
std::string aligned(const std::vector<std::vector<std::string>>& rows);

}  // namespace typenet::detail
