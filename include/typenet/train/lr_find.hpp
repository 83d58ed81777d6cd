// The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks",
// WACV 2017, section 3.3; fastai's lr_find): train a few hundred steps while the rate grows
// exponentially from tiny to huge, watch the loss fall, flatten and blow up, and take a rate
// from the stretch where it falls fastest.
//
//   tn::optim::Adam opt;
//   auto range = tn::find_learning_rate(model, opt, train,
//                                       {.csv = "run/lr_find.csv", .svg = "run/lr_find.svg"});
//   std::cout << range;                 // the suggestion, the minimum, why it stopped
//   opt = tn::optim::Adam{{.lr = range.suggested}};
//
// The model's weights, running statistics and dropout generators and the optimiser's state are
// put back afterwards, bitwise.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <numeric>
#include <ostream>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "typenet/data/dataset.hpp"
#include "typenet/train/babysit.hpp"
#include "typenet/train/fit.hpp"
#include "typenet/train/model.hpp"

namespace typenet {

struct LearningRateFinderOptions {
  double start = 1e-7;      // the first step's rate
  double end = 10;          // the last step's rate; step i takes start * (end/start)^(i/(steps-1))
  std::size_t steps = 200;  // fastai's default is 100
  std::size_t batch = 64;
  // The loss is smoothed with an exponential moving average, bias-corrected as Adam's moments
  // (fastai's Recorder): avg <- b avg + (1 - b) loss; smoothed = avg / (1 - b^(i+1)).
  double smoothing = 0.98;
  // Stop when the smoothed loss exceeds this many times its best (fastai's stop_div, 4), or the
  // loss is NaN or infinite.
  double divergence = 4;
  std::filesystem::path csv{};  // step,learning_rate,loss,smoothed_loss; empty: not written
  std::filesystem::path svg{};  // the smoothed and raw loss against the rate (log axis)
  std::string title = "learning-rate range test";
  std::uint64_t seed = 1;  // the batches' order
};

struct LearningRateFinding {
  std::vector<double> learning_rates, losses, smoothed;  // one per step taken
  // The steepest descent of the smoothed loss against log10(rate), before its minimum, the
  // first tenth of the steps left out (fastai v1's suggestion; numpy.gradient's central
  // differences). Inside the swept range.
  double suggested = std::numeric_limits<double>::quiet_NaN();
  double minimum =
      std::numeric_limits<double>::quiet_NaN();  // the rate of the lowest smoothed loss
  // minimum / 10, kept inside the swept range (fastai v2's SuggestionMethod.Minimum; Smith's
  // "an order of magnitude below where the loss is lowest").
  double minimum_over_ten = std::numeric_limits<double>::quiet_NaN();
  bool diverged = false;  // stopped before the last step
  std::string stop_reason;
};
std::ostream& operator<<(std::ostream& out, const LearningRateFinding& finding);

namespace detail {
// The sweep's bookkeeping and its end (suggestion, files): src/train/lr_find.cpp.
class LearningRateSweep {
 public:
  // Throws std::invalid_argument naming the option: start <= 0 or not finite, end <= start,
  // fewer than 2 steps, batch 0, smoothing outside [0, 1), divergence <= 1.
  explicit LearningRateSweep(const LearningRateFinderOptions& options);
  double rate(std::size_t step) const;
  // Records a step's loss; false when the sweep must stop (the loss diverged).
  bool record(double learning_rate, double loss);
  void fail(double learning_rate, const std::string& cause);  // a step threw: stop there
  // The suggestions, and the files when asked for (io::write_atomically).
  LearningRateFinding finish();

 private:
  LearningRateFinderOptions options_;
  LearningRateFinding finding_;
  double average_ = 0, best_ = std::numeric_limits<double>::infinity();
};
}  // namespace detail

// Sweeps the learning rate over options.steps training steps (softmax cross-entropy, batches
// drawn in a shuffled order, reshuffled each pass), then restores the model and `optimizer` as
// they were. The optimiser's own rate is ignored; its kind and other options (momentum, betas)
// are what the sweep measures. Throws std::invalid_argument for a bad option, a batch above the
// model's capacity or a dataset that does not fit (as fit does), std::runtime_error when a file
// cannot be written. A step that fails (a NaN loss) ends the sweep as diverged; nothing is
// thrown.
template <class Net, class T, class Optimizer>
requires(Net::ok) LearningRateFinding
    find_learning_rate(Model<Net, T>& model, Optimizer& optimizer, const data::Dataset& data,
                       const LearningRateFinderOptions& options = {}) {
  using In = typename Net::input_type;
  detail::LearningRateSweep sweep(options);
  detail::check_input(data, In::dims, Net::output_type::size, "find_learning_rate");
  if (options.batch > model.capacity())
    throw std::invalid_argument("find_learning_rate: batch " + std::to_string(options.batch) +
                                " is above the model's capacity " +
                                std::to_string(model.capacity()));
  const std::size_t batch = std::min(options.batch, data.size());
  detail::ModelState saved(model);
  const Optimizer optimizer_before = optimizer;
  Tensor<T, In> x(batch);
  std::vector<int> labels;
  labels.reserve(batch);
  std::vector<std::size_t> order(data.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::mt19937_64 rng(options.seed);
  std::size_t next = order.size();  // a shuffle before the first batch
  try {
    for (std::size_t step = 0; step < options.steps; ++step) {
      if (next + batch > order.size()) {
        std::shuffle(order.begin(), order.end(), rng);
        next = 0;
      }
      detail::gather(data, std::span(order).subspan(next, batch), x, labels, nullptr, nullptr);
      next += batch;
      const double lr = sweep.rate(step);
      double loss;
      try {
        loss = model.train_step(x, std::span<const int>(labels), loss::SoftmaxCrossEntropy{},
                                optimizer, lr, step);
      } catch (const TrainingError& error) {
        sweep.fail(lr, error.cause());
        break;
      }
      if (!sweep.record(lr, loss)) break;
    }
  } catch (...) {
    saved.restore();
    optimizer = optimizer_before;
    throw;
  }
  saved.restore();
  optimizer = optimizer_before;
  return sweep.finish();
}

}  // namespace typenet
