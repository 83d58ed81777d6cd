// k-fold cross-validation: the split, the trials and the table, compiled once.
#include "typenet/train/cross_validate.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <mutex>
#include <numeric>
#include <random>
#include <sstream>
#include <stdexcept>

#include "typenet/io/atomic_file.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // the result table's text
#include "typenet/train/detail/text_table.hpp"

namespace typenet {

std::vector<std::vector<std::size_t>> kfold(std::size_t samples, std::size_t folds,
                                            std::uint64_t seed) {
  if (folds < 2)
    throw std::invalid_argument("kfold: " + std::to_string(folds) +
                                " fold(s); k-fold cross-validation needs k >= 2 (each fold is "
                                "validated on once and trained on k - 1 times)");
  if (folds > samples)
    throw std::invalid_argument("kfold: " + std::to_string(folds) + " folds of " +
                                std::to_string(samples) +
                                " samples; k can be at most the number of samples "
                                "(leave-one-out)");
  std::vector<std::size_t> order(samples);
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Fisher-Yates with the generator's raw output: the same permutation on every standard library
  // (std::shuffle's use of the generator is the library's own).
  std::mt19937_64 rng(seed);
  for (std::size_t i = samples; i > 1; --i) std::swap(order[i - 1], order[rng() % i]);
  std::vector<std::vector<std::size_t>> result(folds);
  std::size_t begin = 0;
  for (std::size_t f = 0; f < folds; ++f) {
    const std::size_t size = samples / folds + (f < samples % folds ? 1 : 0);
    result[f].assign(order.begin() + std::ptrdiff_t(begin),
                     order.begin() + std::ptrdiff_t(begin + size));
    std::sort(result[f].begin(), result[f].end());
    begin += size;
  }
  return result;
}

const SettingScore& CrossValidation::best() const {
  if (!settings.empty() && settings.front().status == TrialStatus::ok) return settings.front();
  throw std::runtime_error("CrossValidation::best: none of the " + std::to_string(settings.size()) +
                           " settings finished every fold: look at their messages");
}

void CrossValidation::write_csv(const std::filesystem::path& path) const {
  std::vector<std::string> head{"rank"};
  head.insert(head.end(), names.begin(), names.end());
  head.insert(head.end(), {"folds", "mean_val_accuracy", "sd_val_accuracy", "mean_val_loss",
                           "sd_val_loss", "fold_val_accuracies", "seconds", "status", "message"});
  std::string text = detail::csv_row(head);
  for (std::size_t r = 0; r < settings.size(); ++r) {
    const auto& s = settings[r];
    std::vector<std::string> row{std::to_string(r + 1)};
    for (const auto& entry : s.values) row.push_back(detail::shortest(entry.second));
    std::string per_fold;
    for (const auto& t : s.folds) {
      if (!per_fold.empty()) per_fold += ';';
      per_fold += detail::shortest(t.val_accuracy);
    }
    row.insert(row.end(), {std::to_string(s.folds.size()), detail::shortest(s.mean_accuracy),
                           detail::shortest(s.sd_accuracy), detail::shortest(s.mean_loss),
                           detail::shortest(s.sd_loss), per_fold, detail::shortest(s.seconds),
                           to_string(s.status), s.message});
    text += detail::csv_row(row);
  }
  io::write_atomically(path, text);
}

std::string CrossValidation::table(std::size_t rows) const {
  std::vector<std::vector<std::string>> cells{{"rank"}};
  cells[0].insert(cells[0].end(), names.begin(), names.end());
  cells[0].insert(cells[0].end(), {"val_acc (mean ± sd)", "val_loss (mean ± sd)", "status"});
  const std::size_t shown = rows == 0 ? settings.size() : std::min(rows, settings.size());
  for (std::size_t r = 0; r < shown; ++r) {
    const auto& s = settings[r];
    std::vector<std::string> row{std::to_string(r + 1)};
    for (const auto& entry : s.values) row.push_back(detail::significant(entry.second, 3));
    const auto pair = [](double mean, double sd, double scale, const char* unit) {
      if (std::isnan(mean)) return std::string("-");
      return detail::significant(scale * mean, 4) + unit + " ± " +
             detail::significant(scale * sd, 2) + unit;
    };
    row.push_back(pair(s.mean_accuracy, s.sd_accuracy, 100, "%"));
    row.push_back(pair(s.mean_loss, s.sd_loss, 1, ""));
    row.push_back(
        s.status == TrialStatus::ok ? "ok" : std::string(to_string(s.status)) + ": " + s.message);
    cells.push_back(std::move(row));
  }
  return detail::aligned(cells);
}

std::ostream& operator<<(std::ostream& out, const CrossValidation& result) {
  return out << result.table();
}

namespace detail {

namespace {

// The mean and the sample standard deviation; NaN if any value is.
std::pair<double, double> mean_sd(const std::vector<double>& values) {
  const double n = double(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return {mean, std::sqrt(squares / (n - 1))};
}

SettingScore summarise(std::vector<Trial> folds) {
  SettingScore s;
  s.values = folds.front().params.values;
  std::vector<double> accuracy, loss;
  for (const auto& t : folds) {
    s.seconds += t.seconds;
    accuracy.push_back(t.val_accuracy);
    loss.push_back(t.val_loss);
    if (t.status != TrialStatus::ok && s.status == TrialStatus::ok) {
      s.status = t.status;
      s.message = "fold " + std::to_string(t.params.fold + 1) + ": " + t.message;
    }
  }
  if (s.status == TrialStatus::ok) {
    std::tie(s.mean_accuracy, s.sd_accuracy) = mean_sd(accuracy);
    std::tie(s.mean_loss, s.sd_loss) = mean_sd(loss);
  }
  s.folds = std::move(folds);
  return s;
}

}  // namespace

CrossValidation cross_validate(const SearchSpace& settings, const data::Dataset& data,
                               const FoldFunction& trial, const CrossValidationOptions& options) {
  if (options.workers == 0)
    throw std::invalid_argument("cross_validate: workers is 0; it must be 1 or more");
  const auto points = grid_points(settings, "cross_validate");
  data.check("cross_validate");
  if (options.folds < 2 || options.folds > data.size())
    throw std::invalid_argument("cross_validate: " + std::to_string(options.folds) +
                                " folds of a dataset of " + std::to_string(data.size()) +
                                " samples; k-fold cross-validation needs 2 <= k <= the number "
                                "of samples");
  const auto folds = kfold(data.size(), options.folds, options.seed);
  std::vector<data::Dataset> train, validation;
  for (std::size_t f = 0; f < folds.size(); ++f) {
    std::vector<std::size_t> rest;
    for (std::size_t g = 0; g < folds.size(); ++g)
      if (g != f) rest.insert(rest.end(), folds[g].begin(), folds[g].end());
    std::sort(rest.begin(), rest.end());
    train.push_back(data.subset(rest));
    validation.push_back(data.subset(folds[f]));
  }
  std::vector<TrialParams> planned;
  for (std::size_t s = 0; s < points.size(); ++s)
    for (std::size_t f = 0; f < folds.size(); ++f) {
      planned.push_back(make_params(settings, points[s], trial_seed(options.seed, 1, f), s, 1));
      planned.back().fold = f;
    }
  std::ostream* out = options.progress != nullptr ? options.progress : &std::cout;
  std::size_t done = 0;
  std::vector<Trial> results;
  run_trials(
      planned, [&](const TrialParams& p) { return trial(p, train[p.fold], validation[p.fold]); },
      options.workers, results,
      [&](const Trial& t) {
        ++done;
        if (options.quiet) return;
        std::ostringstream line;
        line << "cross_validate " << done << "/" << planned.size() << " (setting "
             << t.params.trial + 1 << ", fold " << t.params.fold + 1 << "):";
        for (const auto& [key, value] : t.params.values)
          line << " " << key << "=" << significant(value, 3);
        if (t.status == TrialStatus::ok)
          line << "  val_acc " << significant(100 * t.val_accuracy, 4) << "%  val_loss "
               << significant(t.val_loss, 4);
        else
          line << "  " << to_string(t.status) << ": " << t.message;
        *out << line.str() << "\n" << std::flush;
      });
  CrossValidation cv;
  for (const auto& p : settings) cv.names.push_back(p.name);
  cv.objective = options.objective;
  cv.folds = folds.size();
  for (std::size_t s = 0; s < points.size(); ++s)
    cv.settings.push_back(summarise({results.begin() + std::ptrdiff_t(s * folds.size()),
                                     results.begin() + std::ptrdiff_t((s + 1) * folds.size())}));
  const auto key = [&](const SettingScore& s) {
    const double v =
        options.objective == Objective::max_val_accuracy ? -s.mean_accuracy : s.mean_loss;
    return std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
  };
  const auto loss = [](const SettingScore& s) {
    return std::isnan(s.mean_loss) ? std::numeric_limits<double>::infinity() : s.mean_loss;
  };
  std::stable_sort(cv.settings.begin(), cv.settings.end(),
                   [&](const SettingScore& a, const SettingScore& b) {
                     if (a.status != b.status) return int(a.status) < int(b.status);
                     if (a.status != TrialStatus::ok) return false;
                     if (key(a) != key(b)) return key(a) < key(b);
                     return loss(a) < loss(b);
                   });
  if (!options.csv.empty()) cv.write_csv(options.csv);
  return cv;
}

}  // namespace detail

}  // namespace typenet
