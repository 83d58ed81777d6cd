// Small tables of numbers in CSV files; implemented in src/data/csv.cpp.
#pragma once

#include <cstddef>
#include <filesystem>

#include "typenet/data/dataset.hpp"

namespace typenet::data {

// Whether the first line of a CSV file is a header of column names.
enum class CsvHeader {
  // A header only when every cell of the first line is a name (not empty, not a number, no NUL
  // byte) and the next line parses as data; otherwise the first line is data, and an error in
  // it names line 1. A damaged first data line is never skipped as a header.
  automatic,
  present,  // the first line is a header, whatever it holds (its column count must match)
  absent,   // every line is data
};

struct CsvOptions {
  CsvHeader header = CsvHeader::automatic;
};

// No CSV line may be longer than this: a longer one is taken for a binary or damaged file.
inline constexpr std::size_t max_csv_line_bytes = std::size_t(1) << 20;  // 1 MiB

// Rows of numbers separated by commas (spaces around a cell allowed, blank lines skipped, a
// UTF-8 byte-order mark ignored, plain or gzip), the label in column `label_column` (0-based),
// the other columns the features (1 x 1 x F samples); classes is the largest label + 1.
// Numbers are read as std::from_chars reads them, whatever the locale; a feature too small for a
// float (1e-400) reads as 0. Throws DataError as "path:line:column: what" (line and column
// 1-based, the column counting the label's) for an empty cell, a NUL byte, text that is not a
// number, a NaN or infinite feature, one beyond float's range (1e39), or a label that is not a
// whole number in [0, max_classes) (1.5, -1, inf, 1e10); as "path:line: what" for a row with
// another column count (ragged), a line longer than max_csv_line_bytes; and for a label column
// outside the rows, no data rows, or a file beyond max_file_bytes, a directory or a device.
Dataset read_csv(const std::filesystem::path& path, std::size_t label_column,
                 CsvOptions options = {});

}  // namespace typenet::data
