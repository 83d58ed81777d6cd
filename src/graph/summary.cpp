// The summary table printed: widths, number grouping, nested rows (declared in graph/summary.hpp).
#include "typenet/graph/summary.hpp"

#include <algorithm>
#include <numeric>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace typenet {

namespace {

// 61706 -> "61,706"
std::string grouped(std::size_t value) {
  std::string digits = std::to_string(value);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

void pad_to(std::ostringstream& out, const std::string& text, std::size_t width, bool right) {
  const std::string fill(width > text.size() ? width - text.size() : 0, ' ');
  out << (right ? fill + text : text + fill);
}

}  // namespace

std::string shape_text(const std::vector<std::size_t>& dims) {
  if (dims.empty()) return "invalid";
  std::string text = std::to_string(dims[0]);
  for (std::size_t i = 1; i < dims.size(); ++i) {
    text += 'x';
    text += std::to_string(dims[i]);
  }
  return text;
}

Summary::Summary(std::string title, std::vector<SummaryRow> rows)
    : title_(std::move(title)), rows_(std::move(rows)) {}

// Rows inside a composite layer (index "2.0", "2.s1", ...) are already counted in its own row.
static bool top_level(const SummaryRow& row) { return row.index.find('.') == std::string::npos; }

std::size_t Summary::parameter_count() const {
  return std::accumulate(rows_.begin(), rows_.end(), std::size_t{0},
                         [](std::size_t sum, const SummaryRow& row) {
                           return sum + (top_level(row) ? row.parameters : 0);
                         });
}

std::size_t Summary::macs() const {
  return std::accumulate(
      rows_.begin(), rows_.end(), std::size_t{0},
      [](std::size_t sum, const SummaryRow& row) { return sum + (top_level(row) ? row.macs : 0); });
}

std::string Summary::to_string() const {
  const std::vector<std::string> headers{"#", "layer", "output shape", "parameters", "MACs"};
  std::vector<std::vector<std::string>> cells;
  for (const SummaryRow& row : rows_)
    cells.push_back({row.index, row.layer, shape_text(row.output_shape), grouped(row.parameters),
                     grouped(row.macs)});
  const std::vector<std::string> totals{"", "total", "", grouped(parameter_count()),
                                        grouped(macs())};

  std::vector<std::size_t> widths(headers.size());
  for (std::size_t c = 0; c < headers.size(); ++c) {
    widths[c] = std::max(headers[c].size(), totals[c].size());
    for (const auto& line : cells) widths[c] = std::max(widths[c], line[c].size());
  }
  // Numbers align right, text left.
  const std::vector<bool> right{true, false, false, true, true};
  std::size_t total_width = 2 * (headers.size() - 1);
  for (std::size_t w : widths) total_width += w;

  std::ostringstream out;
  auto line = [&](const std::vector<std::string>& fields) {
    for (std::size_t c = 0; c < fields.size(); ++c) {
      if (c) out << "  ";
      pad_to(out, fields[c], widths[c], right[c]);
    }
    out << '\n';
  };
  if (!title_.empty()) out << title_ << '\n';
  line(headers);
  out << std::string(total_width, '-') << '\n';
  for (const auto& fields : cells) line(fields);
  out << std::string(total_width, '-') << '\n';
  line(totals);
  return out.str();
}

std::ostream& operator<<(std::ostream& out, const Summary& summary) {
  return out << summary.to_string();
}

}  // namespace typenet
