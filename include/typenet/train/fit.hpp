// fit and evaluate: training on a classification dataset, with the habits the lectures teach.
//
//   auto history = tn::fit(model, opt, tn::loss::SoftmaxCrossEntropy{}, train,
//                          {.epochs = 10, .batch = 64, .validation = val,
//                           .schedule = tn::schedule::Cosine{}, .early_stopping = {.patience =
//                           3}});
//   std::cout << tn::evaluate(model, test);
//
// Progress: on a terminal one self-updating line per epoch; otherwise (a pipe, CI) a few plain
// lines per epoch.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <numeric>
#include <optional>
#include <ostream>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "typenet/data/dataset.hpp"
#include "typenet/reg/reg.hpp"
#include "typenet/schedule/schedule.hpp"
#include "typenet/train/model.hpp"

namespace typenet {

struct EarlyStopping {
  std::size_t patience = 0;  // epochs without a better validation loss before stopping; 0: off
  double min_delta = 0;      // improvement smaller than this does not count
  bool restore_best = true;  // end with the weights of the best epoch
};

struct EpochRecord {
  std::size_t epoch = 0;  // from 1
  double train_loss = 0, train_accuracy = 0;
  double validation_loss = 0, validation_accuracy = 0;  // NaN without a validation set
  double learning_rate = 0;
  double seconds = 0;
  double images_per_second = 0;
};

struct History {
  std::vector<EpochRecord> epochs;
  std::size_t best_epoch = 0;  // by validation loss (or the last epoch without validation)
  bool stopped_early = false;
  // epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,learning_rate,seconds,
  // images_per_second — written to a temporary file and renamed, so a crash never leaves half.
  void write_csv(const std::filesystem::path& path) const;
};

// Augmentation applied on the fly to each training image (channels x height x width floats).
using Augmentation = std::function<void(std::span<float>, std::mt19937_64&)>;

struct FitOptions {
  std::size_t epochs = 10;
  std::size_t batch = 64;
  bool shuffle = true;
  std::optional<std::reference_wrapper<const data::Dataset>> validation{};
  schedule::Schedule schedule{};  // the learning rate per epoch, times the optimiser's
  std::optional<reg::ElasticNet> regularization{};
  EarlyStopping early_stopping{};
  Augmentation augment{};
  std::uint64_t seed = 1;            // shuffling and augmentation
  std::ostream* progress = nullptr;  // where progress goes; nullptr: std::cout
  bool quiet = false;
  std::function<void(const EpochRecord&)> on_epoch{};  // called after each epoch
};

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

// Progress display, implemented in src/train/fit.cpp.
class Progress {
 public:
  Progress(std::ostream* out, bool quiet, std::size_t epochs, std::size_t steps);
  void step(std::size_t epoch, std::size_t step, double loss, double accuracy, std::size_t images,
            double seconds);
  void epoch_end(const EpochRecord& record);

 private:
  std::ostream* out_;
  bool quiet_, terminal_;
  std::size_t epochs_, steps_;
  double last_draw_ = -1;
  std::size_t last_quarter_ = 0;
};

void check_input(const data::Dataset& data, std::span<const std::size_t> dims, const char* where);

template <class Tensor>
void gather(const data::Dataset& data, std::span<const std::size_t> indices, Tensor& x,
            std::vector<int>& labels, const Augmentation* augment, std::mt19937_64* rng) {
  x.set_batch(indices.size());
  labels.resize(indices.size());  // within capacity: reserved by the caller
  const std::size_t size = data.sample_size();
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const auto image = data.image(indices[i]);
    auto* to = x.sample(i);
    for (std::size_t k = 0; k < size; ++k) to[k] = typename Tensor::scalar(image[k]);
    labels[i] = data.labels[indices[i]];
    if (augment != nullptr && *augment) {
      if constexpr (std::is_same_v<typename Tensor::scalar, float>) (*augment)({to, size}, *rng);
    }
  }
}

template <class Output>
std::size_t argmax(const Output& y, std::size_t n) {
  const auto* row = y.sample(n);
  return std::size_t(std::max_element(row, row + Output::sample_size) - row);
}

}  // namespace detail

// A network that does not compile has said why, once; evaluate and fit add nothing to it.
template <class Net, class T, class... Arguments>
requires(!Net::ok) Evaluation evaluate(Model<Net, T>&, const Arguments&...) { return {}; }
template <class Net, class T, class... Arguments>
requires(!Net::ok) History fit(Model<Net, T>&, const Arguments&...) { return {}; }

template <class Net, class T, class Loss = loss::SoftmaxCrossEntropy>
requires(Net::ok) Evaluation
    evaluate(Model<Net, T>& model, const data::Dataset& data, Loss loss = {}) {
  using In = typename Net::input_type;
  constexpr std::size_t classes = Net::output_type::size;
  detail::check_input(data, In::dims, "evaluate");
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
    total += loss::compute(loss, y, std::span<const int>(labels)) * double(chunk.size());
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
  const double n = double(std::max<std::size_t>(data.size(), 1));
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
  return e;
}

template <class Net, class T, class Optimizer, class Loss>
requires(Net::ok) History fit(Model<Net, T>& model, Optimizer& optimizer, Loss loss,
                              const data::Dataset& train, const FitOptions& options = {}) {
  using In = typename Net::input_type;
  detail::check_input(train, In::dims, "fit (training set)");
  if (options.validation)
    detail::check_input(options.validation->get(), In::dims, "fit (validation set)");
  if (options.batch == 0 || options.batch > model.capacity())
    throw std::invalid_argument("fit: batch " + std::to_string(options.batch) +
                                " must be between 1 and the model's capacity " +
                                std::to_string(model.capacity()));
  if (train.size() == 0) throw std::invalid_argument("fit: the training set is empty");

  const std::size_t steps = (train.size() + options.batch - 1) / options.batch;
  Tensor<T, In> x(options.batch);
  std::vector<int> labels;
  labels.reserve(options.batch);
  std::vector<std::size_t> order(train.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(options.seed);
  std::optional<reg::ElasticNet> penalty = options.regularization;
  detail::Progress progress(options.progress, options.quiet, options.epochs, steps);

  History history;
  std::optional<typename Model<Net, T>::Snapshot> best;
  double best_loss = std::numeric_limits<double>::infinity();
  std::size_t waited = 0;
  std::size_t global_step = 0;
  for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    if (options.shuffle) std::shuffle(order.begin(), order.end(), rng);
    EpochRecord record;
    record.epoch = epoch;
    record.learning_rate =
        options.schedule.rate(optimizer.learning_rate(), epoch - 1, options.epochs);
    double loss_sum = 0;
    std::size_t correct = 0, seen = 0;
    for (std::size_t s = 0; s < steps; ++s, ++global_step) {
      const auto chunk = std::span(order).subspan(
          s * options.batch, std::min(options.batch, train.size() - s * options.batch));
      detail::gather(train, chunk, x, labels, &options.augment, &rng);
      double value;
      try {
        value = model.train_step(x, std::span<const int>(labels), loss, optimizer,
                                 record.learning_rate, global_step, penalty ? &*penalty : nullptr);
      } catch (const TrainingError& error) {
        throw TrainingError("epoch " + std::to_string(epoch) + ", " + error.what());
      }
      const auto& y = model.network().template output<Net::depth - 1>();
      for (std::size_t n = 0; n < chunk.size(); ++n)
        correct += detail::argmax(y, n) == std::size_t(labels[n]);
      loss_sum += value * double(chunk.size());
      seen += chunk.size();
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      progress.step(epoch, s + 1, loss_sum / double(seen), double(correct) / double(seen), seen,
                    elapsed);
    }
    record.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    record.train_loss = loss_sum / double(seen);
    record.train_accuracy = double(correct) / double(seen);
    record.images_per_second = double(seen) / record.seconds;
    record.validation_loss = record.validation_accuracy = std::nan("");
    double monitored = record.train_loss;
    if (options.validation) {
      const Evaluation v = evaluate(model, options.validation->get(), loss);
      record.validation_loss = v.loss;
      record.validation_accuracy = v.accuracy;
      monitored = v.loss;
    }
    history.epochs.push_back(record);
    progress.epoch_end(record);
    if (options.on_epoch) options.on_epoch(record);

    if (monitored < best_loss - options.early_stopping.min_delta) {
      best_loss = monitored;
      history.best_epoch = epoch;
      waited = 0;
      if (options.early_stopping.patience > 0 && options.early_stopping.restore_best)
        best = model.snapshot();
    } else if (options.early_stopping.patience > 0 && ++waited >= options.early_stopping.patience) {
      history.stopped_early = true;
      break;
    }
  }
  if (best) model.restore(*best);
  return history;
}

}  // namespace typenet
