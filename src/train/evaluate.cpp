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
  // The dataset's C x H x W as the network's shape: a vector takes any sample of its size (a
  // Flatten-first network reads an image's values in order), Steps x Features takes 1 x Steps x
  // Features (a one-channel image's rows as steps), C x H x W itself. Same-sized samples of
  // another layout (transposed sequences, swapped C and H) would train silently on scrambled
  // values, so they are refused too.
  std::ostringstream network, wanted;
  for (std::size_t i = 0; i < dims.size(); ++i) network << (i ? "x" : "") << dims[i];
  bool fits = false;
  if (dims.size() == 1) {
    fits = data.sample_size() == dims[0];
    wanted << "samples of " << dims[0] << " values (C*H*W, any C x H x W)";
  } else if (dims.size() == 2) {
    fits = data.channels == 1 && data.height == dims[0] && data.width == dims[1];
    wanted << "samples of 1x" << dims[0] << "x" << dims[1] << ": " << dims[0] << " steps of "
           << dims[1] << " features";
  } else if (dims.size() == 3) {
    fits = data.channels == dims[0] && data.height == dims[1] && data.width == dims[2];
    wanted << "samples of " << network.str();
  }
  if (!fits) {
    std::ostringstream text;
    text << "the dataset's samples are " << data.channels << "x" << data.height << "x" << data.width
         << " but the network takes " << network.str() << " (" << wanted.str() << ")";
    std::size_t values = 1;
    for (std::size_t d : dims) values *= d;
    if (dims.size() > 1 && data.sample_size() == values)
      text << "; the same " << values
           << " values in another layout: give the dataset the network's shape if its values "
              "are in that order, else transpose them";
    else if (dims.size() == 3)
      text << "; tn::data::pad adds a border";
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
