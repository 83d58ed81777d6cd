// evaluate: a trained model's loss, accuracy, confusion matrix, precision and recall on a
// classification dataset; and the batch gathering fit shares with it.
//
//   std::cout << tn::evaluate(model, test);   // loss, accuracy, top-5, confusion matrix
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <numeric>
#include <ostream>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "typenet/data/dataset.hpp"
#include "typenet/train/model.hpp"

namespace typenet {

// Augmentation applied on the fly to each training image (channels x height x width floats).
using Augmentation = std::function<void(std::span<float>, std::mt19937_64&)>;

struct Evaluation {
  double loss = 0;
  double accuracy = 0;
  double top5_accuracy = 0;  // NaN with 5 classes or fewer
  std::size_t samples = 0;
  std::vector<std::vector<std::size_t>> confusion;  // [true class][predicted class]
  std::vector<double> precision, recall;            // per class
};
std::ostream& operator<<(std::ostream& out, const Evaluation& e);

namespace detail {

// Throws, naming `where`: data::DataError unless the dataset is whole (Dataset::check: sizes
// agree, 1 or more classes, labels in [0, classes)) and holds only finite values (else the
// first bad sample); std::invalid_argument when it is empty, does not fit the network's input
// `dims`, or has more classes than the network's `outputs`.
void check_input(const data::Dataset& data, std::span<const std::size_t> dims, std::size_t outputs,
                 const char* where);

// The samples at `indices` into x, augmented if `augment` is set. The augmentation works on
// float images: for another scalar type each image passes through `scratch` (one sample).
template <class Tensor>
void gather(const data::Dataset& data, std::span<const std::size_t> indices, Tensor& x,
            std::vector<int>& labels, const Augmentation* augment, std::mt19937_64* rng,
            std::span<float> scratch = {}) {
  using T = typename Tensor::scalar;
  x.set_batch(indices.size());
  labels.resize(indices.size());  // within capacity: reserved by the caller
  const std::size_t size = data.sample_size();
  const bool augmenting = augment != nullptr && *augment;
  for (std::size_t i = 0; i < indices.size(); ++i) {
    auto image = data.image(indices[i]);
    auto* to = x.sample(i);
    labels[i] = data.labels[indices[i]];
    if constexpr (std::is_same_v<T, float>) {
      std::copy(image.begin(), image.end(), to);
      if (augmenting) (*augment)({to, size}, *rng);
    } else {
      if (augmenting) {
        std::copy(image.begin(), image.end(), scratch.begin());
        (*augment)(scratch.first(size), *rng);
        image = scratch.first(size);
      }
      for (std::size_t k = 0; k < size; ++k) to[k] = T(image[k]);
    }
  }
}

// A dataset's class labels fit the network's output under `Loss` (one score vector per sample;
// spec/loss.hpp). fit and evaluate check it before instantiating their bodies, so a mismatch is
// one error stating the rule, not a cascade from the loops that index the scores.
template <class Loss, class Net>
using class_labels_fit = loss::detail::fits<Loss, typename Net::output_type, std::span<const int>>;

// Completes e from its confusion matrix and the counts over `count` samples (count >= 1): loss
// (the mean of `total`), accuracy, top-5 accuracy (NaN with 5 classes or fewer), and per class
// precision and recall (0 for a class never predicted, or never present).
void summarise(Evaluation& e, double total, std::size_t correct, std::size_t top5,
               std::size_t count);

template <class Output>
std::size_t argmax(const Output& y, std::size_t n) {
  const auto* row = y.sample(n);
  return std::size_t(std::max_element(row, row + Output::sample_size) - row);
}

}  // namespace detail

// A network that does not compile has said why, once; evaluate adds nothing to it.
template <class Net, class T, class... Arguments>
requires(!Net::ok) Evaluation evaluate(Model<Net, T>&, const Arguments&...) { return {}; }

// Class labels for an output that is not one score vector per sample: the loss rule says so.
template <class Net, class T, class Loss = loss::SoftmaxCrossEntropy>
requires(Net::ok && !detail::class_labels_fit<Loss, Net>::value) Evaluation
    evaluate(Model<Net, T>&, const data::Dataset&, Loss = {}) {
  static_assert(detail::class_labels_fit<Loss, Net>::report::reported);
  return {};
}

template <class Net, class T, class Loss = loss::SoftmaxCrossEntropy>
requires(Net::ok&& detail::class_labels_fit<Loss, Net>::value) Evaluation
    evaluate(Model<Net, T>& model, const data::Dataset& data, Loss loss = {}) {
  using In = typename Net::input_type;
  constexpr std::size_t classes = Net::output_type::size;
  detail::check_input(data, In::dims, classes, "evaluate");
  Evaluation e;
  e.samples = data.size();
  e.confusion.assign(classes, std::vector<std::size_t>(classes, 0));
  const std::size_t batch = model.capacity();
  Tensor<T, In> x(batch);
  std::vector<int> labels;
  labels.reserve(batch);
  std::vector<std::size_t> indices(data.size());
  std::iota(indices.begin(), indices.end(), std::size_t{0});
  double total = 0;
  std::size_t correct = 0, top5 = 0;
  for (std::size_t begin = 0; begin < data.size(); begin += batch) {
    const auto chunk = std::span(indices).subspan(begin, std::min(batch, data.size() - begin));
    detail::gather(data, chunk, x, labels, nullptr, nullptr);
    const auto& y = model.predict(x);
    const double value = loss::compute(loss, y, std::span<const int>(labels));
    if (!std::isfinite(value))
      throw TrainingError("evaluate: the loss is " + std::to_string(value) + " on samples " +
                          std::to_string(begin) + " to " +
                          std::to_string(begin + chunk.size() - 1) +
                          " (their inputs are finite: the network's output overflowed)");
    total += value * double(chunk.size());
    for (std::size_t n = 0; n < chunk.size(); ++n) {
      const std::size_t predicted = detail::argmax(y, n);
      const auto truth = std::size_t(labels[n]);
      e.confusion[truth][predicted] += 1;
      correct += predicted == truth;
      const T score = y(n, truth);
      std::size_t higher = 0;
      for (std::size_t c = 0; c < classes; ++c) higher += y(n, c) > score;
      top5 += higher < 5;
    }
  }
  detail::summarise(e, total, correct, top5, data.size());
  return e;
}

}  // namespace typenet
