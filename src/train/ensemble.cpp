// An ensemble's metrics from its averaged probabilities, compiled once.
#include "typenet/train/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace typenet::detail {

Evaluation evaluate_probabilities(std::span<const double> probabilities, std::size_t classes,
                                  std::span<const int> labels) {
  if (classes == 0 || probabilities.size() != labels.size() * classes)
    throw std::invalid_argument("evaluate (ensemble): " + std::to_string(probabilities.size()) +
                                " probabilities for " + std::to_string(labels.size()) +
                                " labels of " + std::to_string(classes) + " classes");
  Evaluation e;
  e.samples = labels.size();
  e.confusion.assign(classes, std::vector<std::size_t>(classes, 0));
  double total = 0;
  std::size_t correct = 0, top5 = 0;
  for (std::size_t n = 0; n < labels.size(); ++n) {
    const double* row = probabilities.data() + n * classes;
    const auto predicted = std::size_t(std::max_element(row, row + classes) - row);
    const auto truth = std::size_t(labels[n]);
    if (labels[n] < 0 || truth >= classes)
      throw std::invalid_argument("evaluate (ensemble): label " + std::to_string(labels[n]) +
                                  " of row " + std::to_string(n) + " is not in [0, " +
                                  std::to_string(classes) + ")");
    e.confusion[truth][predicted] += 1;
    correct += predicted == truth;
    total -= std::log(std::max(row[truth], std::numeric_limits<double>::min()));
    std::size_t higher = 0;
    for (std::size_t c = 0; c < classes; ++c) higher += row[c] > row[truth];
    top5 += higher < 5;
  }
  summarise(e, total, correct, top5, std::max<std::size_t>(labels.size(), 1));
  return e;
}

}  // namespace typenet::detail
