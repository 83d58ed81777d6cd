// k-fold cross-validation (CS231n, "Cross-validation"): when the data are too few for a
// validation split of their own, every setting of a hyper-parameter is trained k times, each time
// validated on another fold and trained on the other k - 1; the settings are compared by the mean
// of their k validation metrics, with the spread across folds beside it.
//
//   tn::SearchSpace settings{{"weight_decay", tn::log_grid(1e-5, 1e-1, 5)}};
//   auto cv = tn::cross_validate(settings, train, [](const tn::TrialParams& p,
//                                                    const tn::data::Dataset& fold_train,
//                                                    const tn::data::Dataset& fold_val) {
//     tn::Model<Linear> model{tn::init::Xavier{}, p.seed};
//     tn::optim::SGD sgd{{.lr = 0.1, .weight_decay = p["weight_decay"]}};
//     return tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, fold_train,
//                    {.epochs = 20, .validation = fold_val, .seed = p.seed, .quiet = true});
//   }, {.folds = 5});
//   std::cout << cv;   // per setting: mean and standard deviation over the folds, best first
//
// The settings are the points of a grid of tn::Choice values (as grid_search). The trial may
// return what a search's trial returns (History, Evaluation, TrialScore): a kNN that has no loss
// returns TrialScore{accuracy} alone. Fold f's trials of every setting get the same seed
// (p.seed, p.fold = f), so settings differ by their parameters alone. Each trial's outcome is
// classified as a search's is (train/tune.hpp): a NaN loss in any fold marks the setting.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "typenet/data/dataset.hpp"
#include "typenet/train/search_space.hpp"
#include "typenet/train/tune.hpp"

namespace typenet {

struct CrossValidationOptions {
  std::size_t folds = 5;    // k, 2 <= k <= the dataset's size (k = n: leave-one-out)
  std::uint64_t seed = 1;   // the split into folds and each fold's trial seed
  std::size_t workers = 1;  // trials at once, as SearchOptions::workers
  Objective objective = Objective::max_val_accuracy;
  std::filesystem::path csv{};       // the result table, written atomically at the end; empty: none
  std::ostream* progress = nullptr;  // a line per finished trial; nullptr: std::cout
  bool quiet = false;
};

struct SettingScore {
  std::vector<std::pair<std::string, double>> values;  // the setting
  std::vector<Trial> folds;                            // fold 0 to k - 1
  // Over the folds; sd is the sample standard deviation (divided by k - 1). NaN when a fold is
  // not ok, or did not report that metric.
  double mean_accuracy = std::numeric_limits<double>::quiet_NaN();
  double sd_accuracy = std::numeric_limits<double>::quiet_NaN();
  double mean_loss = std::numeric_limits<double>::quiet_NaN();
  double sd_loss = std::numeric_limits<double>::quiet_NaN();
  double seconds = 0;                    // the folds' trials together
  TrialStatus status = TrialStatus::ok;  // that of the first fold not ok
  std::string message;                   // "fold 3: ..." for it
};

struct CrossValidation {
  std::vector<std::string> names;  // the hyper-parameters
  // Best first by the mean of the objective (ties: the lower mean loss, then the setting's order
  // in the grid); settings with a failed fold after the others.
  std::vector<SettingScore> settings;
  Objective objective = Objective::max_val_accuracy;
  std::size_t folds = 0;

  // Throws std::runtime_error when no setting finished every fold.
  const SettingScore& best() const;
  // rank,<names...>,folds,mean_val_accuracy,sd_val_accuracy,mean_val_loss,sd_val_loss,
  // fold_val_accuracies (';'-separated),seconds,status,message. Through io::write_atomically;
  // throws std::runtime_error naming the file when it cannot be written.
  void write_csv(const std::filesystem::path& path) const;
  std::string table(std::size_t rows = 0) const;  // rows = 0: every setting
};
std::ostream& operator<<(std::ostream& out, const CrossValidation& result);

// The validation samples of each of `folds` folds: a permutation of 0 .. samples - 1 drawn from
// `seed`, cut into folds of samples / folds or one more (the first samples % folds folds), each
// sorted. Every sample is in exactly one. Throws std::invalid_argument unless
// 2 <= folds <= samples.
std::vector<std::vector<std::size_t>> kfold(std::size_t samples, std::size_t folds,
                                            std::uint64_t seed);

namespace detail {
using FoldFunction =
    std::function<TrialScore(const TrialParams&, const data::Dataset&, const data::Dataset&)>;
// Throws std::invalid_argument for folds outside [2, data.size()], workers of 0, or a grid that
// grid_points refuses; data::DataError when the dataset fails Dataset::check.
CrossValidation cross_validate(const SearchSpace& settings, const data::Dataset& data,
                               const FoldFunction& trial, const CrossValidationOptions& options);
}  // namespace detail

template <class F>
concept FoldCallable =
    std::invocable<F&, const TrialParams&, const data::Dataset&, const data::Dataset&> &&
    requires(F& f, const TrialParams& p, const data::Dataset& d) {
  score_of(f(p, d, d));
};

// Every setting of `settings` (a grid of tn::Choice values) on each of options.folds folds of
// `data`: trial(params, training folds, validation fold).
template <FoldCallable F>
CrossValidation cross_validate(const SearchSpace& settings, const data::Dataset& data, F&& trial,
                               const CrossValidationOptions& options = {}) {
  return detail::cross_validate(
      settings, data,
      [&trial](const TrialParams& p, const data::Dataset& train, const data::Dataset& val) {
        return score_of(trial(p, train, val));
      },
      options);
}

}  // namespace typenet
