// Babysitting the learning process: the sanity checks the lectures run before a long training
// (CS231n, "Babysitting the learning process"; Karpathy, "A recipe for training neural
// networks", 2019):
//
//   auto initial = tn::check_initial_loss(model, train);          // about ln(C) at the start?
//   auto overfit = tn::overfit_small_subset(model, train, 20);     // 100 % on 20 samples?
//   auto range = tn::find_learning_rate(model, opt, train, {.csv = "lr.csv", .svg = "lr.svg"});
//
// None of them changes the model: the first only predicts, the other two train and then put
// back every weight, running statistic and dropout generator (and the optimiser's state).
// find_learning_rate is in train/lr_find.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <limits>
#include <numeric>
#include <ostream>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "typenet/data/dataset.hpp"
#include "typenet/optim/adam.hpp"
#include "typenet/train/fit.hpp"
#include "typenet/train/model.hpp"

namespace typenet {

struct InitialLossOptions {
  // How far (in nats) the loss may be from ln(C): the logits' spread at initialisation adds
  // to it. On Fashion-MNIST, Xavier-initialised LeNet-5 and MLPs start within it, He-initialised
  // LeNet-5 some 9 nats above (docs/training.md), a last layer scaled 10x far above.
  double tolerance = 1.0;
  std::size_t samples = 1000;        // the first N samples of the dataset; 0: all
  std::ostream* warnings = nullptr;  // where a failed check is told; nullptr: std::cerr
  bool quiet = false;                // tell nothing; the report still says it
};

struct InitialLossReport {
  double loss = 0;      // mean softmax cross-entropy over the samples, in nats, no penalty
  double expected = 0;  // ln(C): every one of the C outputs equally likely
  double tolerance = 0;
  std::size_t classes = 0, samples = 0;
  bool ok = false;      // |loss - expected| <= tolerance
  std::string message;  // one sentence with the numbers (and, when not ok, the usual causes)
};
std::ostream& operator<<(std::ostream& out, const InitialLossReport& report);

struct OverfitOptions {
  std::size_t max_epochs = 200;  // passes over the subset before giving up
  std::size_t batch = 0;         // 0: the whole subset per step (up to the model's capacity)
  std::uint64_t seed = 1;        // shuffling
  // Put the weights, running statistics and dropout generators back afterwards (so a real run
  // can follow); false keeps the overfitted model.
  bool restore = true;
  std::ostream* warnings = nullptr;  // where a failure is told; nullptr: std::cerr
  bool quiet = false;
};

struct OverfitReport {
  bool reached = false;  // 100 % training accuracy (in eval mode, over the whole subset)
  std::size_t samples = 0, epochs = 0;
  double accuracy = 0;    // after the last epoch
  double first_loss = 0;  // the mean training loss of the first and of the last epoch
  double last_loss = 0;
  std::string message;
};
std::ostream& operator<<(std::ostream& out, const OverfitReport& report);

namespace detail {
// The reports and their sentences: src/train/babysit.cpp.
InitialLossReport initial_loss_report(double loss, std::size_t classes, std::size_t samples,
                                      double tolerance);
OverfitReport overfit_report(bool reached, std::size_t samples, std::size_t epochs, double accuracy,
                             double first_loss, double last_loss);
void tell(const std::string& message, std::ostream* warnings, bool quiet);

// Every weight, running statistic and dropout generator of a model, and their restoration.
template <class Net, class T>
class ModelState {
 public:
  explicit ModelState(Model<Net, T>& model) : model_(model), snapshot_(model.snapshot()) {
    io::detail::walk_network(model.network(), generators_);
    for (const auto& g : generators_) states_.push_back(*g.generator);
  }
  void restore() {
    model_.restore(snapshot_);
    for (std::size_t k = 0; k < generators_.size(); ++k) *generators_[k].generator = states_[k];
  }

 private:
  Model<Net, T>& model_;
  typename Model<Net, T>::Snapshot snapshot_;
  std::vector<io::detail::GeneratorEntry> generators_;
  std::vector<std::mt19937_64> states_;
};
}  // namespace detail

// The loss at initialisation, before any step and without regularisation: with small random
// weights every class is about equally likely, so softmax cross-entropy over C outputs starts
// near ln(C) (ln(10) = 2.303). Far above it, the network starts confident and wrong (a last
// layer or bias too large); far below, it knows the labels already (a leak, loaded weights).
// Measured in eval mode on the first `options.samples` samples. Tells a failed check, with the
// numbers, on options.warnings. Throws as evaluate does for a dataset that does not fit.
template <class Net, class T>
requires(Net::ok) InitialLossReport
    check_initial_loss(Model<Net, T>& model, const data::Dataset& data,
                       const InitialLossOptions& options = {}) {
  constexpr std::size_t classes = Net::output_type::size;
  const auto subset =
      options.samples > 0 && options.samples < data.size() ? data.head(options.samples) : data;
  double loss;
  try {
    loss = evaluate(model, subset, loss::SoftmaxCrossEntropy{}).loss;
  } catch (const TrainingError&) {  // the outputs overflowed: as wrong as it gets
    loss = std::numeric_limits<double>::infinity();
  }
  auto report = detail::initial_loss_report(loss, classes, subset.size(), options.tolerance);
  if (!report.ok) detail::tell(report.message, options.warnings, options.quiet);
  return report;
}

// Trains on the first n samples until the training accuracy is 100 % (checked after each epoch
// in eval mode) or options.max_epochs pass: a network that cannot overfit a handful of samples
// has a bug (a wrong loss or gradient, frozen or disconnected layers, a learning rate of 0).
// `optimizer` is a copy: the caller's keeps its state. Tells a failure on options.warnings.
// Throws std::invalid_argument for n = 0 or a dataset that does not fit (as fit does), and what
// train_step throws (TrainingError for a NaN loss).
template <class Net, class T, class Optimizer = optim::Adam>
requires(Net::ok) OverfitReport
    overfit_small_subset(Model<Net, T>& model, const data::Dataset& data, std::size_t n,
                         Optimizer optimizer = {}, const OverfitOptions& options = {}) {
  using In = typename Net::input_type;
  if (n == 0) throw std::invalid_argument("overfit_small_subset: n is 0; take a few samples");
  const auto subset = data.head(n);
  detail::check_input(subset, In::dims, Net::output_type::size, "overfit_small_subset");
  const std::size_t batch = std::min(options.batch == 0 ? subset.size() : options.batch,
                                     std::min(subset.size(), model.capacity()));
  detail::ModelState saved(model);
  Tensor<T, In> x(batch);
  std::vector<int> labels;
  labels.reserve(batch);
  std::vector<std::size_t> order(subset.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(options.seed);
  double first_loss = 0, last_loss = 0, accuracy = 0;
  std::size_t epoch = 0, step = 0;
  try {
    while (epoch < options.max_epochs && accuracy < 1) {
      ++epoch;
      std::shuffle(order.begin(), order.end(), rng);
      double sum = 0;
      for (std::size_t begin = 0; begin < order.size(); begin += batch) {
        const auto chunk = std::span(order).subspan(begin, std::min(batch, order.size() - begin));
        detail::gather(subset, chunk, x, labels, nullptr, nullptr);
        sum += double(chunk.size()) * model.train_step(x, std::span<const int>(labels),
                                                       loss::SoftmaxCrossEntropy{}, optimizer,
                                                       optimizer.learning_rate(), step++);
      }
      last_loss = sum / double(order.size());
      if (epoch == 1) first_loss = last_loss;
      accuracy = evaluate(model, subset).accuracy;
    }
  } catch (...) {
    saved.restore();  // a failed step leaves the model as it was given
    throw;
  }
  if (options.restore) saved.restore();
  auto report =
      detail::overfit_report(accuracy >= 1, subset.size(), epoch, accuracy, first_loss, last_loss);
  if (!report.reached) detail::tell(report.message, options.warnings, options.quiet);
  return report;
}

}  // namespace typenet
