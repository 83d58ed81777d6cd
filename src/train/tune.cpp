// Hyper-parameter searches: the trials' runner, the strategies and the result table, compiled
// once.
#include "typenet/train/tune.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <iostream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "typenet/io/atomic_file.hpp"
#define TYPENET_INTERNAL_HEADERS_ALLOWED  // the result table's text
#include "typenet/train/detail/text_table.hpp"

namespace typenet {

TrialScore score_of(const History& history) {
  if (history.epochs.empty()) return {};
  const auto& last = history.epochs.back();
  return {last.validation_accuracy, last.validation_loss};
}

TrialScore score_of(const Evaluation& evaluation) { return {evaluation.accuracy, evaluation.loss}; }

const char* to_string(TrialStatus status) {
  switch (status) {
    case TrialStatus::ok:
      return "ok";
    case TrialStatus::nan_loss:
      return "nan_loss";
    case TrialStatus::error:
      return "error";
  }
  return "?";
}

const Trial& SearchResult::best() const {
  if (!trials.empty() && trials.front().status == TrialStatus::ok) return trials.front();
  std::size_t diverged = 0;
  for (const auto& t : trials) diverged += t.status == TrialStatus::nan_loss;
  throw std::runtime_error("SearchResult::best: none of the " + std::to_string(trials.size()) +
                           " trials finished (" + std::to_string(diverged) + " nan_loss, " +
                           std::to_string(trials.size() - diverged) +
                           " errors): look at their messages; a NaN loss means the learning "
                           "rate is too high");
}

namespace {

std::vector<std::string> header(const std::vector<std::string>& names) {
  std::vector<std::string> row{"rank", "stage", "trial", "seed"};
  row.insert(row.end(), names.begin(), names.end());
  row.insert(row.end(), {"val_accuracy", "val_loss", "seconds", "status", "message"});
  return row;
}

}  // namespace

void SearchResult::write_csv(const std::filesystem::path& path) const {
  std::string text = detail::csv_row(header(names));
  for (std::size_t r = 0; r < trials.size(); ++r) {
    const auto& t = trials[r];
    std::vector<std::string> row{std::to_string(r + 1), std::to_string(t.params.stage),
                                 std::to_string(t.params.trial), std::to_string(t.params.seed)};
    for (const auto& entry : t.params.values) row.push_back(detail::shortest(entry.second));
    row.insert(row.end(), {detail::shortest(t.val_accuracy), detail::shortest(t.val_loss),
                           detail::shortest(t.seconds), to_string(t.status), t.message});
    text += detail::csv_row(row);
  }
  io::write_atomically(path, text);
}

std::string SearchResult::table(std::size_t rows) const {
  std::vector<std::vector<std::string>> cells{
      {"rank", "stage", "trial"},
  };
  cells[0].insert(cells[0].end(), names.begin(), names.end());
  cells[0].insert(cells[0].end(), {"val_acc", "val_loss", "seconds", "status"});
  const std::size_t shown = rows == 0 ? trials.size() : std::min(rows, trials.size());
  for (std::size_t r = 0; r < shown; ++r) {
    const auto& t = trials[r];
    std::vector<std::string> row{std::to_string(r + 1), std::to_string(t.params.stage),
                                 std::to_string(t.params.trial)};
    for (const auto& entry : t.params.values) row.push_back(detail::significant(entry.second, 3));
    const bool ok = t.status == TrialStatus::ok;
    row.push_back(ok && !std::isnan(t.val_accuracy)
                      ? detail::significant(100 * t.val_accuracy, 4) + "%"
                      : "-");
    row.push_back(ok ? detail::significant(t.val_loss, 4) : "-");
    row.push_back(detail::significant(t.seconds, 3));
    row.push_back(ok ? "ok" : std::string(to_string(t.status)) + ": " + t.message);
    cells.push_back(std::move(row));
  }
  return detail::aligned(cells);
}

std::ostream& operator<<(std::ostream& out, const SearchResult& result) {
  return out << result.table();
}

namespace detail {

Trial classify(const TrialParams& params, const TrialScore* score, const std::string& failure,
               bool diverged, double seconds) {
  Trial t;
  t.params = params;
  t.seconds = seconds;
  if (score == nullptr) {
    t.status = diverged ? TrialStatus::nan_loss : TrialStatus::error;
    t.message = failure;
    return t;
  }
  t.val_accuracy = score->val_accuracy;
  t.val_loss = score->val_loss;
  if (std::isinf(t.val_loss)) {
    t.status = TrialStatus::nan_loss;
    t.message = "the validation loss is " + shortest(t.val_loss);
  } else if (std::isnan(t.val_accuracy) && std::isnan(t.val_loss)) {
    t.status = TrialStatus::error;
    t.message =
        "the trial reported no validation accuracy or loss (give fit a .validation set, or "
        "return an Evaluation or a TrialScore)";
  }
  return t;
}

void rank(std::vector<Trial>& trials, Objective objective) {
  const auto key = [&](const Trial& t) {
    // Lower is better; a trial without the objective's metric goes after those with it.
    const double v = objective == Objective::max_val_accuracy ? -t.val_accuracy : t.val_loss;
    return std::isnan(v) ? std::numeric_limits<double>::infinity() : v;
  };
  const auto loss = [](const Trial& t) {
    return std::isnan(t.val_loss) ? std::numeric_limits<double>::infinity() : t.val_loss;
  };
  std::stable_sort(trials.begin(), trials.end(), [&](const Trial& a, const Trial& b) {
    if (a.status != b.status) return int(a.status) < int(b.status);
    if (a.status == TrialStatus::ok) {
      if (key(a) != key(b)) return key(a) < key(b);
      if (loss(a) != loss(b)) return loss(a) < loss(b);
    }
    if (a.params.stage != b.params.stage) return a.params.stage < b.params.stage;
    if (a.params.fold != b.params.fold) return a.params.fold < b.params.fold;
    return a.params.trial < b.params.trial;
  });
}

namespace {

// A NaN or infinite loss or gradient, as Model::train_step, fit and evaluate word it.
bool is_divergence(const std::string& what) {
  return what.find("the loss is") != std::string::npos ||
         what.find("non-finite") != std::string::npos;
}

Trial run_one(const TrialParams& params, const TrialFunction& trial) {
  const auto start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  try {
    const TrialScore score = trial(params);
    return classify(params, &score, "", false, elapsed());
  } catch (const TrainingError& error) {
    return classify(params, nullptr, error.what(), is_divergence(error.what()), elapsed());
  } catch (const std::exception& error) {
    return classify(params, nullptr, error.what(), false, elapsed());
  } catch (...) {
    return classify(params, nullptr, "the trial threw something that is not a std::exception",
                    false, elapsed());
  }
}

}  // namespace

void run_trials(const std::vector<TrialParams>& planned, const TrialFunction& trial,
                std::size_t workers, std::vector<Trial>& into,
                const std::function<void(const Trial&)>& finished) {
  into.assign(planned.size(), Trial{});
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::exception_ptr failure;
  const auto work = [&] {
    for (std::size_t k; !stop && (k = next++) < planned.size();) {
      Trial result = run_one(planned[k], trial);
      std::lock_guard lock(mutex);
      into[k] = std::move(result);
      try {
        if (finished) finished(into[k]);
      } catch (...) {
        if (!failure) failure = std::current_exception();
        stop = true;
      }
    }
  };
  const std::size_t threads = std::min(workers, planned.size());
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) pool.emplace_back(work);
    for (auto& t : pool) t.join();
  }
  if (failure) std::rethrow_exception(failure);
}

namespace {

void check_options(const SearchOptions& o, const char* where, bool counts_trials,
                   bool coarse_to_fine) {
  const auto refuse = [&](const std::string& what) {
    throw std::invalid_argument(std::string(where) + ": " + what);
  };
  if (o.workers == 0) refuse("workers is 0; it must be 1 or more");
  if (counts_trials && o.trials == 0) refuse("trials is 0; a search needs 1 or more");
  if (coarse_to_fine) {
    if (o.fine_trials == 0) refuse("fine_trials is 0; the fine stage needs 1 or more");
    if (o.keep_top == 0) refuse("keep_top is 0; the fine stage narrows around 1 or more trials");
    if (!(std::isfinite(o.margin) && o.margin > 0))
      refuse("margin " + shortest(o.margin) + " must be finite and > 0");
  }
}

// Runs a stage, telling the progress and rewriting the CSV after every trial (with `earlier`).
class Search {
 public:
  Search(const SearchSpace& space, const SearchOptions& options)
      : options_(options), out_(options.progress ? options.progress : &std::cout) {
    for (const auto& p : space) result_.names.push_back(p.name);
    result_.objective = options.objective;
  }

  void stage(const std::vector<TrialParams>& planned, const TrialFunction& trial,
             const char* name) {
    std::size_t done = 0;
    std::vector<Trial> results;
    run_trials(planned, trial, options_.workers, results, [&](const Trial& t) {
      finished_.push_back(t);
      ++done;
      if (!options_.quiet) *out_ << line(t, done, planned.size(), name) << std::flush;
      if (!options_.csv.empty()) {
        SearchResult so_far = result_;
        so_far.trials = finished_;
        rank(so_far.trials, options_.objective);
        so_far.write_csv(options_.csv);
      }
    });
    result_.trials.insert(result_.trials.end(), results.begin(), results.end());
    rank(result_.trials, options_.objective);
  }
  SearchResult& result() { return result_; }

 private:
  std::string line(const Trial& t, std::size_t done, std::size_t total, const char* name) const {
    std::ostringstream text;
    text << name << " trial " << done << "/" << total << " (#" << t.params.trial << "):";
    for (const auto& [key, value] : t.params.values)
      text << " " << key << "=" << significant(value, 3);
    if (t.status == TrialStatus::ok)
      text << "  val_acc " << significant(100 * t.val_accuracy, 4) << "%  val_loss "
           << significant(t.val_loss, 4);
    else
      text << "  " << to_string(t.status) << ": " << t.message;
    text << "  (" << significant(t.seconds, 3) << " s)\n";
    return text.str();
  }

  const SearchOptions& options_;
  std::ostream* out_;
  SearchResult result_;
  std::vector<Trial> finished_;
};

std::vector<TrialParams> draws(const SearchSpace& space, const SearchOptions& options,
                               std::size_t stage, std::size_t count, std::size_t first) {
  std::vector<TrialParams> planned;
  for (std::size_t k = first; k < first + count; ++k)
    planned.push_back(make_params(space, sample(space, trial_seed(~options.seed, stage, k)),
                                  trial_seed(options.seed, stage, k), k, stage));
  return planned;
}

}  // namespace

SearchResult grid_search(const SearchSpace& space, const TrialFunction& trial,
                         const SearchOptions& options) {
  check_options(options, "grid_search", false, false);
  const auto points = grid_points(space, "grid_search");
  std::vector<TrialParams> planned;
  for (std::size_t k = 0; k < points.size(); ++k)
    planned.push_back(make_params(space, points[k], trial_seed(options.seed, 1, k), k, 1));
  Search search(space, options);
  search.stage(planned, trial, "grid");
  return std::move(search.result());
}

SearchResult random_search(const SearchSpace& space, const TrialFunction& trial,
                           const SearchOptions& options) {
  check_options(options, "random_search", true, false);
  check_space(space, "random_search");
  Search search(space, options);
  search.stage(draws(space, options, 1, options.trials, 0), trial, "random");
  return std::move(search.result());
}

SearchResult coarse_to_fine(const SearchSpace& space, const TrialFunction& trial,
                            const SearchOptions& options) {
  check_options(options, "coarse_to_fine", true, true);
  check_space(space, "coarse_to_fine");
  Search search(space, options);
  search.stage(draws(space, options, 1, options.trials, 0), trial, "coarse");
  std::vector<std::vector<double>> best;
  for (const auto& t : search.result().trials) {
    if (t.status != TrialStatus::ok || best.size() == options.keep_top) break;
    std::vector<double> row;
    for (const auto& entry : t.params.values) row.push_back(entry.second);
    best.push_back(std::move(row));
  }
  if (best.empty()) {
    if (!options.quiet)
      *(options.progress ? options.progress : &std::cout)
          << "coarse_to_fine: no coarse trial finished ok; the fine stage does not run\n";
    return std::move(search.result());
  }
  search.result().fine_space = narrow(space, best, options.margin);
  search.stage(draws(search.result().fine_space, options, 2, options.fine_trials, options.trials),
               trial, "fine");
  return std::move(search.result());
}

}  // namespace detail

}  // namespace typenet
