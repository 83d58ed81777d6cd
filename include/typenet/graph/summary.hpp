// tn::summary<Net>(): the layer table of a network, like Keras' model.summary(): index, layer,
// output shape, parameters and multiply-accumulates per sample, with totals.
#pragma once

#include <array>
#include <boost/mp11/algorithm.hpp>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "typenet/shape/shape.hpp"

namespace typenet {

struct SummaryRow {
  std::string index;  // empty for the Input row
  std::string layer;
  std::vector<std::size_t> output_shape;
  std::size_t parameters = 0;
  std::size_t macs = 0;
};

class Summary {
 public:
  Summary(std::string title, std::vector<SummaryRow> rows);

  const std::vector<SummaryRow>& rows() const { return rows_; }
  std::size_t parameter_count() const;
  std::size_t macs() const;
  // The printable table; operator<< writes the same text.
  std::string to_string() const;

 private:
  std::string title_;
  std::vector<SummaryRow> rows_;
};

std::ostream& operator<<(std::ostream& out, const Summary& summary);

// "6x28x28"
std::string shape_text(const std::vector<std::size_t>& dims);

namespace detail {
template <class S>
std::vector<std::size_t> dims_of() {
  return {S::dims.begin(), S::dims.end()};
}
}  // namespace detail

template <class Net>
Summary summary(std::string title = "") {
  std::vector<SummaryRow> rows;
  rows.reserve(Net::depth + 1);
  rows.push_back({"", "Input", detail::dims_of<typename Net::input_type>(), 0, 0});
  boost::mp11::mp_for_each<typename Net::layers>([&rows](auto bound) {
    using Bound = decltype(bound);
    rows.push_back({std::to_string(Bound::index), Bound::spec::name(),
                    detail::dims_of<typename Bound::output_type>(), Bound::parameter_count,
                    Bound::macs});
  });
  return Summary(std::move(title), std::move(rows));
}

}  // namespace typenet
