// evaluate's input checks and its printed report, compiled once.
#include "typenet/train/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <string>

namespace typenet {

namespace detail {

void summarise(Evaluation& e, double total, std::size_t correct, std::size_t top5,
               std::size_t count) {
  const std::size_t classes = e.confusion.size();
  const double n = double(count);
  e.loss = total / n;
  e.accuracy = double(correct) / n;
  e.top5_accuracy = classes > 5 ? double(top5) / n : std::nan("");
  e.precision.assign(classes, 0);
  e.recall.assign(classes, 0);
  for (std::size_t c = 0; c < classes; ++c) {
    std::size_t predicted = 0, actual = 0;
    for (std::size_t k = 0; k < classes; ++k) {
      predicted += e.confusion[k][c];
      actual += e.confusion[c][k];
    }
    e.precision[c] = predicted ? double(e.confusion[c][c]) / double(predicted) : 0;
    e.recall[c] = actual ? double(e.confusion[c][c]) / double(actual) : 0;
  }
}

void check_input(const data::Dataset& data, std::span<const std::size_t> dims, std::size_t outputs,
                 const char* where) {
  const auto mismatch = [&](const std::string& what) {
    throw std::invalid_argument(std::string(where) + ": " + what);
  };
  if (data.size() == 0) mismatch("the dataset is empty");
  data.check(where);  // whole, 1 or more classes, every label in range (naming its row)
  std::size_t c = 1, h = 1, w = 1;
  if (dims.size() == 3)
    c = dims[0], h = dims[1], w = dims[2];
  else if (dims.size() == 1)
    w = dims[0];
  else if (dims.size() == 2)  // Steps x Features: a C x H x W sample read as its rows in order
    w = dims[0] * dims[1];
  const bool fits = dims.size() == 3 ? data.channels == c && data.height == h && data.width == w
                                     : data.sample_size() == w;
  if (!fits) {
    std::ostringstream text;
    text << "the dataset's samples are " << data.channels << "x" << data.height << "x" << data.width
         << " but the network takes ";
    for (std::size_t i = 0; i < dims.size(); ++i) text << (i ? "x" : "") << dims[i];
    text << " (tn::data::pad adds a border; Flatten-first networks take C*H*W features, "
            "sequence networks Steps*Features)";
    mismatch(text.str());
  }
  if (data.classes > outputs)
    mismatch("the dataset has " + std::to_string(data.classes) + " classes but the network has " +
             std::to_string(outputs) +
             " outputs (one per class; fewer classes than outputs is fine)");
  const auto bad = std::find_if(data.images.begin(), data.images.end(),
                                [](float v) { return !std::isfinite(v); });
  if (bad != data.images.end()) {
    const auto at = std::size_t(bad - data.images.begin());
    throw data::DataError(std::string(where) + ": sample " +
                          std::to_string(at / data.sample_size()) + " holds " +
                          (std::isnan(*bad) ? "NaN" : "infinity") + " (value " +
                          std::to_string(at % data.sample_size()) + " of the sample)");
  }
}

}  // namespace detail

std::ostream& operator<<(std::ostream& out, const Evaluation& e) {
  const auto flags = out.flags();
  const auto precision = out.precision();
  out << std::fixed << std::setprecision(4) << "loss " << e.loss << std::setprecision(2)
      << "  accuracy " << 100 * e.accuracy << "%";
  if (!std::isnan(e.top5_accuracy)) out << "  top-5 " << 100 * e.top5_accuracy << "%";
  out << "  (" << e.samples << " samples)\n";
  const std::size_t classes = e.confusion.size();
  out << "confusion matrix (rows: true class, columns: predicted)\n      ";
  for (std::size_t c = 0; c < classes; ++c) out << std::setw(6) << c;
  out << "   precision  recall\n";
  for (std::size_t t = 0; t < classes; ++t) {
    out << std::setw(6) << t;
    for (std::size_t p = 0; p < classes; ++p) out << std::setw(6) << e.confusion[t][p];
    out << std::setw(11) << std::setprecision(3) << e.precision[t] << std::setw(8) << e.recall[t]
        << "\n";
  }
  out.flags(flags);
  out.precision(precision);
  return out;
}

}  // namespace typenet
