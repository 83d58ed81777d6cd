// tn::summary<Net>(): the layer table of a network, like Keras' model.summary(): index, layer,
// output shape, parameters and multiply-accumulates per sample, with totals. The printing is
// compiled once, in src/graph/summary.cpp.
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

namespace detail {
// One row per layer; a composite layer (Residual, Concat, Block) is followed by its layers,
// indented, with indices such as "2.0" (branch), "2.s0" (shortcut) or "2.b1.0" (Concat branch 1).
template <class Bound>
void summary_rows(std::vector<SummaryRow>& rows, const std::string& index, std::size_t depth) {
  using Spec = typename Bound::spec;
  rows.push_back({index, std::string(2 * depth, ' ') + Spec::name(),
                  dims_of<typename Bound::output_type>(), Bound::parameter_count, Bound::macs});
  if constexpr (requires { typename Spec::template paths<typename Bound::input_type>; }) {
    using paths = typename Spec::template paths<typename Bound::input_type>;
    boost::mp11::mp_for_each<paths>([&](auto path) {
      using Path = decltype(path);
      boost::mp11::mp_for_each<typename Path::layers>([&](auto inner) {
        using Inner = decltype(inner);
        summary_rows<Inner>(rows, index + "." + Path::label() + std::to_string(Inner::index),
                            depth + 1);
      });
    });
  }
}
}  // namespace detail

template <class Net>
Summary summary(std::string title = "") {
  std::vector<SummaryRow> rows;
  rows.reserve(Net::depth + 1);
  rows.push_back({"", "Input", detail::dims_of<typename Net::input_type>(), 0, 0});
  boost::mp11::mp_for_each<typename Net::layers>([&rows](auto bound) {
    using Bound = decltype(bound);
    detail::summary_rows<Bound>(rows, std::to_string(Bound::index), 0);
  });
  return Summary(std::move(title), std::move(rows));
}

}  // namespace typenet
