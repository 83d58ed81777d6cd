// Hyper-parameter search (CS231n, "Hyperparameter optimization"): grid search, random search and
// coarse-to-fine search, each trial a short training that reports its validation metrics.
//
//   tn::SearchSpace space{{"lr", tn::LogUniform{1e-4, 1e-1}},
//                         {"weight_decay", tn::LogUniform{1e-6, 1e-2}}};
//   auto result = tn::coarse_to_fine(space, [&](const tn::TrialParams& p) {
//     tn::Model<LeNet5> model{tn::init::He{}, p.seed};
//     tn::optim::Adam adam{{.lr = p["lr"], .weight_decay = p["weight_decay"]}};
//     return tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, train,
//                    {.epochs = 2, .validation = val, .seed = p.seed, .quiet = true});
//   }, {.trials = 20, .fine_trials = 10, .workers = 2, .csv = "search.csv"});
//   std::cout << result;                  // the table, best first
//   double lr = result.best().params["lr"];
//
// A trial returns fit's History (its last epoch's validation accuracy and loss count), an
// Evaluation, or a TrialScore. A NaN or infinite loss ends that trial alone: it is reported as
// nan_loss ("cost = nan: the learning rate is too high") with fit's sentence naming the epoch
// and step, and the search goes on; any other exception is the trial's error. The trial function
// must build its own model and optimiser and use p.seed for everything random: then a trial's
// result depends on its parameters and seed alone, and a search is reproducible. With workers > 1
// the function is called from several threads at once (capture the datasets by const reference).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "typenet/train/fit.hpp"
#include "typenet/train/history.hpp"
#include "typenet/train/search_space.hpp"

namespace typenet {

// What one trial reports: its validation metrics.
struct TrialScore {
  double val_accuracy = std::numeric_limits<double>::quiet_NaN();  // in [0, 1]
  double val_loss = std::numeric_limits<double>::quiet_NaN();
};
inline TrialScore score_of(const TrialScore& score) { return score; }
// The last epoch's validation metrics (NaN both when fit had no .validation set: the trial is
// then an error saying so).
TrialScore score_of(const History& history);
TrialScore score_of(const Evaluation& evaluation);

enum class TrialStatus {
  ok,
  nan_loss,  // training diverged: a NaN or infinite loss or gradient
  error,     // the trial threw anything else, or reported no usable metric
};
const char* to_string(TrialStatus status);  // "ok", "nan_loss", "error"

// What a search ranks by.
enum class Objective { max_val_accuracy, min_val_loss };

struct Trial {
  TrialParams params;  // values, seed, trial number, stage
  double val_accuracy = std::numeric_limits<double>::quiet_NaN();
  double val_loss = std::numeric_limits<double>::quiet_NaN();
  double seconds = 0;  // wall time of the trial
  TrialStatus status = TrialStatus::ok;
  std::string message;  // why it is not ok (fit's sentence, with the epoch and step)
};

struct SearchOptions {
  // random_search: how many trials; coarse_to_fine: how many in the coarse stage.
  std::size_t trials = 20;
  // coarse_to_fine: the fine stage's trials, drawn from the coarse space narrowed around the
  // keep_top best coarse trials, each side widened by `margin` (detail::narrow says how).
  std::size_t fine_trials = 20;
  std::size_t keep_top = 5;
  double margin = 0.25;
  std::uint64_t seed = 1;  // draws the parameters and each trial's own seed
  // Trials run at once, each on its own std::thread with its own model (the trial function's).
  // The kernels' threads (tn::set_threads) are shared: kernels of two trials take turns, so on
  // a machine with N cores, workers = N and tn::set_threads(1) keep every core busy. Results do
  // not depend on `workers` (they do on tn::threads(), as any training's do).
  std::size_t workers = 1;
  Objective objective = Objective::max_val_accuracy;
  // The result table as CSV, written again (atomically) after every trial: an interrupted search
  // keeps the trials that finished. Empty: not written.
  std::filesystem::path csv{};
  std::ostream* progress = nullptr;  // a line per finished trial; nullptr: std::cout
  bool quiet = false;
};

struct SearchResult {
  std::vector<std::string> names;  // the hyper-parameters, in the space's order
  // Best first by the objective (ties: the lower loss, then the earlier trial); then the
  // nan_loss trials, then the errors, each in trial order.
  std::vector<Trial> trials;
  Objective objective = Objective::max_val_accuracy;
  // coarse_to_fine: the space its fine stage drew from; otherwise empty.
  SearchSpace fine_space;

  // The first trial. Throws std::runtime_error when no trial finished ok (with their counts).
  const Trial& best() const;
  // rank,stage,trial,seed,<names...>,val_accuracy,val_loss,seconds,status,message — numbers in
  // their shortest exact form, text quoted as RFC 4180 says. Through io::write_atomically:
  // throws std::runtime_error naming the file when it cannot be written.
  void write_csv(const std::filesystem::path& path) const;
  // The table aligned for a terminal; `rows` = 0: every trial.
  std::string table(std::size_t rows = 0) const;
};
std::ostream& operator<<(std::ostream& out, const SearchResult& result);

namespace detail {
using TrialFunction = std::function<TrialScore(const TrialParams&)>;
// The strategies, compiled once (src/train/tune.cpp). Throw std::invalid_argument for a space
// check_space refuses, trials or fine_trials or keep_top or workers of 0, a margin not > 0.
SearchResult grid_search(const SearchSpace& space, const TrialFunction& trial,
                         const SearchOptions& options);
SearchResult random_search(const SearchSpace& space, const TrialFunction& trial,
                           const SearchOptions& options);
SearchResult coarse_to_fine(const SearchSpace& space, const TrialFunction& trial,
                            const SearchOptions& options);

// Runs `planned` (their results in `into`, in the same order) on `workers` threads; each
// trial's outcome depends on its params alone. After each trial `finished` (called under a
// lock) may write the CSV; the first exception it throws stops the search and is rethrown.
void run_trials(const std::vector<TrialParams>& planned, const TrialFunction& trial,
                std::size_t workers, std::vector<Trial>& into,
                const std::function<void(const Trial&)>& finished);
// Sorts as SearchResult::trials says.
void rank(std::vector<Trial>& trials, Objective objective);
// The trial's outcome from what the function returned or threw.
Trial classify(const TrialParams& params, const TrialScore* score, const std::string& failure,
               bool diverged, double seconds);

template <class F>
TrialFunction trial_function(F& trial) {
  return [&trial](const TrialParams& params) { return score_of(trial(params)); };
}
}  // namespace detail

template <class F>
concept TrialCallable = std::invocable<F&, const TrialParams&> &&
    requires(F& f, const TrialParams& p) {
  score_of(f(p));
};

// Every point of a grid of tn::Choice values (options.trials is not used). Each trial gets the
// seed detail::trial_seed(options.seed, 1, its number).
template <TrialCallable F>
SearchResult grid_search(const SearchSpace& space, F&& trial, const SearchOptions& options = {}) {
  return detail::grid_search(space, detail::trial_function(trial), options);
}
// options.trials draws of every parameter; trial k's draws and seed depend on options.seed and
// k alone (the first 10 trials of a search of 20 are those of a search of 10).
template <TrialCallable F>
SearchResult random_search(const SearchSpace& space, F&& trial, const SearchOptions& options = {}) {
  return detail::random_search(space, detail::trial_function(trial), options);
}
// A random search of options.trials (stage 1), then one of options.fine_trials (stage 2) in the
// space narrowed around the best keep_top trials of stage 1 (result.fine_space). When no
// coarse trial finished ok, there is nothing to narrow around: stage 2 does not run, and the
// result holds the coarse trials alone.
template <TrialCallable F>
SearchResult coarse_to_fine(const SearchSpace& space, F&& trial,
                            const SearchOptions& options = {}) {
  return detail::coarse_to_fine(space, detail::trial_function(trial), options);
}

}  // namespace typenet
