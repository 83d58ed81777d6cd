// CSV tables: numbers read with std::from_chars (no locale), every cell checked, the header
// decided by a rule that cannot swallow a damaged data line.
#include "typenet/data/csv.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#define TYPENET_INTERNAL_HEADERS_ALLOWED  // this file implements part of the internal header
#include "typenet/data/detail/parse.hpp"

namespace typenet::data {

namespace {

enum class Parsed { number, underflow, overflow, not_a_number };

// A cell as std::from_chars reads a double (a leading '+' allowed too). A number too small for a
// double reads as a signed zero (from_chars calls it out of range, like one too large; the
// decimal exponent of the leading digit tells them apart).
Parsed parse_number(std::string_view cell, double& value) {
  std::string_view text = cell;
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (stop != end || error == std::errc::invalid_argument) return Parsed::not_a_number;
  if (error != std::errc::result_out_of_range) return Parsed::number;
  // Out of range: find the power of ten of the first non-zero digit.
  const bool negative = text[0] == '-';
  long long point = 0, first = -1, position = 0;
  std::size_t i = negative ? 1 : 0;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      point = position;
      continue;
    }
    if (first < 0 && text[i] != '0') first = position;
    ++position;
  }
  if (text.find('.') == std::string_view::npos) point = position;
  long long exponent = 0;
  if (i < text.size()) {
    std::string_view digits = text.substr(i + 1);
    const bool minus = !digits.empty() && digits[0] == '-';
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) digits.remove_prefix(1);
    for (char c : digits) exponent = std::min(exponent * 10 + (c - '0'), 1'000'000'000LL);
    if (minus) exponent = -exponent;
  }
  if (first >= 0 && exponent + point - first - 1 >= 0) return Parsed::overflow;
  value = negative ? -0.0 : 0.0;
  return Parsed::underflow;
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> cells_of(std::string_view line) {
  std::vector<std::string_view> cells;
  for (;;) {
    const auto comma = line.find(',');
    cells.push_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return cells;
    line.remove_prefix(comma + 1);
  }
}

// A cell as a message shows it: at most 40 characters, a NUL as \0.
std::string shown(std::string_view cell) {
  std::string out;
  for (char c : cell.substr(0, 40)) out += c == '\0' ? std::string("\\0") : std::string(1, c);
  return "'" + out + (cell.size() > 40 ? "...'" : "'");
}

// A header cell is a name: not empty, no NUL byte, not something from_chars reads as a number.
bool is_name(std::string_view cell) {
  double ignored = 0;
  return !cell.empty() && cell.find('\0') == std::string_view::npos &&
         parse_number(cell, ignored) == Parsed::not_a_number;
}

struct Table {
  Table(const std::string& name, std::size_t label_column)
      : name(name), label_column(label_column) {}
  const std::string& name;
  std::size_t label_column;
  std::size_t columns = 0;     // of the header or the first data line
  std::size_t first_line = 0;  // the line that set `columns`
  Dataset data;
  std::size_t max_label = 0;

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw DataError(name + ":" + std::to_string(line) + ": " + what);
  }
  [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& what) const {
    throw DataError(name + ":" + std::to_string(line) + ":" + std::to_string(column + 1) + ": " +
                    what);
  }

  void set_columns(std::size_t line, std::size_t count) {
    if (columns == 0) {
      if (label_column >= count)
        fail(line, "the label column is " + std::to_string(label_column) +
                       " (counted from 0), but the line has " + std::to_string(count) + " columns");
      if (count == 1) fail(line, "only the label column: no features");
      columns = count;
      first_line = line;
    } else if (count != columns) {
      fail(line, std::to_string(count) + " columns, but line " + std::to_string(first_line) +
                     " has " + std::to_string(columns));
    }
  }

  // Parses a data line into `data`, or throws naming the line and the column.
  void add(std::size_t line, const std::vector<std::string_view>& cells) {
    set_columns(line, cells.size());
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string_view cell = cells[c];
      if (cell.empty()) fail(line, c, "empty cell");
      if (cell.find('\0') != std::string_view::npos)
        fail(line, c, "a NUL byte in " + shown(cell) + " (a binary or damaged file)");
      double value = 0;
      const Parsed parsed = parse_number(cell, value);
      if (parsed == Parsed::not_a_number)
        fail(line, c, (c == label_column ? "label " : "") + shown(cell) + " is not a number");
      if (c == label_column) {
        if (parsed != Parsed::number || !(value >= 0) || value >= double(max_classes) ||
            value != std::floor(value))
          fail(line, c,
               "label " + shown(cell) + " is not a class index (a whole number from 0 to " +
                   std::to_string(max_classes - 1) + ", typenet::data::max_classes - 1)");
        const auto label = std::size_t(value);
        max_label = std::max(max_label, label);
        data.labels.push_back(int(label));
        continue;
      }
      if (std::isnan(value) || std::isinf(value))
        fail(line, c, shown(cell) + " is not a finite number");
      if (parsed == Parsed::overflow || std::abs(value) > std::numeric_limits<float>::max())
        fail(line, c, shown(cell) + " is beyond the range of float (3.4e38)");
      data.images.push_back(float(value));
    }
  }
};

}  // namespace

namespace detail {

Dataset parse_csv(std::string_view text, const std::string& name, std::size_t label_column,
                  CsvOptions options) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte-order mark
  Table table(name, label_column);
  // The non-blank lines, numbered from 1.
  std::vector<std::pair<std::size_t, std::string_view>> lines;
  for (std::size_t number = 1; !text.empty(); ++number) {
    const auto newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    if (line.size() > max_csv_line_bytes)
      table.fail(number, "longer than " + std::to_string(max_csv_line_bytes) +
                             " bytes (typenet::data::max_csv_line_bytes): not a table of numbers");
    if (!trim(line).empty()) lines.emplace_back(number, line);
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  std::size_t first = 0;
  if (!lines.empty() && options.header != CsvHeader::absent) {
    const auto header = cells_of(lines[0].second);
    bool names = true;
    for (const auto cell : header) names = names && is_name(cell);
    if (options.header == CsvHeader::present || names) {
      // Automatic: a line of names is a header only if the next line is data; if that line
      // fails, its error is the one to show (the file is rejected either way).
      table.set_columns(lines[0].first, header.size());
      first = 1;
      if (lines.size() == 1) throw DataError(name + ": a header line but no data rows");
    }
  }
  for (std::size_t i = first; i < lines.size(); ++i)
    table.add(lines[i].first, cells_of(lines[i].second));
  if (table.data.labels.empty()) throw DataError(name + ": no data rows");
  Dataset& data = table.data;
  data.channels = data.height = 1;
  data.width = table.columns - 1;
  data.classes = table.max_label + 1;
  data.check("read_csv(" + name + ")");
  return std::move(data);
}

}  // namespace detail

Dataset read_csv(const std::filesystem::path& path, std::size_t label_column, CsvOptions options) {
  detail::FileSource source(path);
  std::vector<std::uint8_t> bytes;
  source.append(bytes, max_file_bytes);
  source.expect_end("the first " + std::to_string(max_file_bytes) + " bytes");
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return detail::parse_csv(text, path.string(), label_column, options);
}

}  // namespace typenet::data
