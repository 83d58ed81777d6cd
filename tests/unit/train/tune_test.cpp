// Hyper-parameter searches: what each strategy tries, the draws' distribution, reproducibility,
// diverging trials, narrowing, and refusals.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <mutex>
#include <set>
#include <sstream>
#include <typenet/typenet.hpp>
#include <utility>
#include <vector>

#include "tune_fixture.hpp"

namespace tn = typenet;

TEST_CASE("grid_search tries every combination of the Choice values once", "[tune]") {
  const tn::SearchSpace space{{"a", tn::Choice{{1, 2, 3}}}, {"b", tn::Choice{{10, 20}}}};
  std::mutex mutex;
  std::multiset<std::pair<double, double>> seen;
  std::set<std::uint64_t> seeds;
  const auto result = tn::grid_search(space,
                                      [&](const tn::TrialParams& p) {
                                        std::lock_guard lock(mutex);
                                        seen.insert({p["a"], p["b"]});
                                        seeds.insert(p.seed);
                                        return tn::TrialScore{p["a"] / 10 + p["b"] / 1000, 1.0};
                                      },
                                      {.quiet = true});
  std::multiset<std::pair<double, double>> product;
  for (double a : {1, 2, 3})
    for (double b : {10, 20}) product.insert({a, b});
  CHECK(seen == product);
  CHECK(seeds.size() == 6);
  REQUIRE(result.trials.size() == 6);
  CHECK(result.names == std::vector<std::string>{"a", "b"});
  // Best first: the highest accuracy is a = 3, b = 20; the worst a = 1, b = 10.
  CHECK(result.best().params["a"] == 3);
  CHECK(result.best().params["b"] == 20);
  CHECK(result.trials.back().params["a"] == 1);
  CHECK(result.trials.back().params["b"] == 10);
  for (std::size_t i = 1; i < result.trials.size(); ++i)
    CHECK(result.trials[i - 1].val_accuracy >= result.trials[i].val_accuracy);
}

TEST_CASE("log_grid spaces its values evenly in log, ends included", "[tune]") {
  const auto grid = tn::log_grid(1e-4, 1e-1, 4);
  REQUIRE(grid.values.size() == 4);
  CHECK(grid.values.front() == 1e-4);
  CHECK(grid.values.back() == 1e-1);
  for (std::size_t i = 1; i < 4; ++i)
    CHECK(std::log10(grid.values[i] / grid.values[i - 1]) == Approx(1.0).epsilon(1e-12));
  CHECK_THROWS_WITH(tn::log_grid(0, 1, 3), Catch::Contains("0 < low < high"));
  CHECK_THROWS_WITH(tn::log_grid(1e-3, 1e-1, 1), Catch::Contains("2 or more values"));
}

TEST_CASE("random_search's LogUniform draws stay in range and are uniform in log", "[tune]") {
  // 4000 draws of lr in [1e-5, 1e-1] (4 decades), momentum in [0.5, 0.9], batch in {16, 32, 64}.
  const tn::SearchSpace space{{"lr", tn::LogUniform{1e-5, 1e-1}},
                              {"momentum", tn::Uniform{0.5, 0.9}},
                              {"batch", tn::Choice{{16, 32, 64}}}};
  constexpr std::size_t n = 4000;
  const auto result = tn::random_search(space,
                                        [](const tn::TrialParams&) {
                                          return tn::TrialScore{0.5, 1.0};
                                        },
                                        {.trials = n, .seed = 7, .quiet = true});
  REQUIRE(result.trials.size() == n);
  std::vector<double> decades(4, 0), thirds(3, 0);
  double momentum_sum = 0;
  for (const auto& t : result.trials) {
    const double lr = t.params["lr"], momentum = t.params["momentum"];
    REQUIRE(lr >= 1e-5);
    REQUIRE(lr <= 1e-1);
    REQUIRE(momentum >= 0.5);
    REQUIRE(momentum <= 0.9);
    decades[std::min<std::size_t>(3, std::size_t(std::log10(lr) + 5))] += 1;
    const double batch = t.params["batch"];
    REQUIRE((batch == 16 || batch == 32 || batch == 64));
    thirds[batch == 16 ? 0 : batch == 32 ? 1 : 2] += 1;
    momentum_sum += momentum;
  }
  // Each decade holds a quarter of the draws if log(lr) is uniform: a count is
  // Binomial(n, 1/4), sd = sqrt(n p (1 - p)) = 27.4; 5 sd leaves a false alarm at ~1e-6. Drawn
  // uniformly in lr instead, the top decade would hold 90 % of them.
  const double sd_quarter = std::sqrt(n * 0.25 * 0.75);
  for (double count : decades) CHECK(std::abs(count - n / 4.0) < 5 * sd_quarter);
  const double sd_third = std::sqrt(n * (1.0 / 3) * (2.0 / 3));
  for (double count : thirds) CHECK(std::abs(count - n / 3.0) < 5 * sd_third);
  // The mean of a Uniform(0.5, 0.9) has sd 0.4 / sqrt(12 n).
  CHECK(std::abs(momentum_sum / n - 0.7) < 5 * 0.4 / std::sqrt(12.0 * n));
}

TEST_CASE("The same seed gives the same trials, another seed others", "[tune]") {
  const tn::SearchSpace space{{"lr", tn::LogUniform{1e-4, 1}}, {"wd", tn::Uniform{0, 1}}};
  const auto score = [](const tn::TrialParams& p) {
    return tn::TrialScore{1 / (1 + std::abs(std::log10(p["lr"]) + 2)), p["wd"]};
  };
  const auto a = tn::random_search(space, score, {.trials = 12, .seed = 3, .quiet = true});
  const auto b = tn::random_search(space, score, {.trials = 12, .seed = 3, .quiet = true});
  const auto c = tn::random_search(space, score, {.trials = 12, .seed = 4, .quiet = true});
  // A shorter search with the same seed tries the first trials of the longer one.
  const auto d = tn::random_search(space, score, {.trials = 5, .seed = 3, .quiet = true});
  REQUIRE(a.trials.size() == 12);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    CHECK(a.trials[i].params.values == b.trials[i].params.values);
    CHECK(a.trials[i].params.seed == b.trials[i].params.seed);
    CHECK(a.trials[i].val_accuracy == b.trials[i].val_accuracy);
    differ += a.trials[i].params.values != c.trials[i].params.values;
  }
  CHECK(differ == 12);
  for (const auto& t : d.trials) {
    const auto same = std::find_if(a.trials.begin(), a.trials.end(), [&](const tn::Trial& u) {
      return u.params.trial == t.params.trial;
    });
    REQUIRE(same != a.trials.end());
    CHECK(same->params.values == t.params.values);
    CHECK(same->params.seed == t.params.seed);
  }
}

TEST_CASE("A trial whose fit diverges is nan_loss and the search goes on", "[tune]") {
  const auto data = tune_test::blobs(96, 1);
  // Named, not structured bindings: clang 14 cannot capture those in a lambda.
  const auto parts = tn::data::split(data, 0.75, 2);
  const auto& train = parts.first;
  const auto& validation = parts.second;
  std::ostringstream progress;
  const auto result = tn::grid_search(
      tn::SearchSpace{{"lr", tn::Choice{{1e30, 0.05}}}},
      [&](const tn::TrialParams& p) { return tune_test::train_blobs(p, train, validation); },
      {.progress = &progress});
  REQUIRE(result.trials.size() == 2);
  const auto& ok = result.trials[0];
  const auto& diverged = result.trials[1];
  CHECK(ok.status == tn::TrialStatus::ok);
  CHECK(ok.params["lr"] == 0.05);
  CHECK(ok.val_accuracy > 0.5);  // three classes: chance is 1/3
  CHECK(std::isfinite(ok.val_loss));
  CHECK(diverged.status == tn::TrialStatus::nan_loss);
  CHECK(diverged.params["lr"] == 1e30);
  // fit's sentence, naming the epoch and step.
  CHECK_THAT(diverged.message, Catch::Contains("fit: epoch ") && Catch::Contains("step"));
  CHECK(std::isnan(diverged.val_accuracy));
  CHECK_THAT(progress.str(), Catch::Contains("nan_loss: fit: epoch") &&
                                 Catch::Contains("val_acc") && Catch::Contains("grid trial 2/2"));
  CHECK(&result.best() == &ok);
}

TEST_CASE("A trial that throws or reports no metric is an error, not the search's end", "[tune]") {
  const auto result =
      tn::grid_search(tn::SearchSpace{{"k", tn::Choice{{1, 2, 3}}}},
                      [](const tn::TrialParams& p) -> tn::History {
                        if (p.integer("k") == 1) throw std::runtime_error("no data for k = 1");
                        tn::History h;
                        h.epochs.resize(1);
                        h.epochs[0].validation_accuracy = p.integer("k") == 2 ? 0.7 : std::nan("");
                        h.epochs[0].validation_loss = p.integer("k") == 2 ? 0.4 : std::nan("");
                        return h;
                      },
                      {.quiet = true});
  REQUIRE(result.trials.size() == 3);
  CHECK(result.best().params["k"] == 2);
  CHECK(result.trials[1].status == tn::TrialStatus::error);
  CHECK(result.trials[1].message == "no data for k = 1");
  CHECK(result.trials[2].status == tn::TrialStatus::error);
  CHECK_THAT(result.trials[2].message, Catch::Contains(".validation set"));
  CHECK_THAT(result.table(), Catch::Contains("error: no data for k = 1"));
}

TEST_CASE("best() of a search in which no trial finished says so", "[tune]") {
  const auto result = tn::random_search(tn::SearchSpace{{"lr", tn::LogUniform{1, 10}}},
                                        [](const tn::TrialParams&) -> tn::TrialScore {
                                          throw tn::TrainingError(3, "the loss is nan; ...");
                                        },
                                        {.trials = 3, .quiet = true});
  REQUIRE(result.trials.size() == 3);
  for (const auto& t : result.trials) CHECK(t.status == tn::TrialStatus::nan_loss);
  CHECK_THROWS_WITH(result.best(),
                    Catch::Contains("none of the 3 trials") && Catch::Contains("3 nan_loss"));
}

TEST_CASE("coarse_to_fine's fine ranges lie inside the coarse ones and hold the best trials",
          "[tune]") {
  // A peak at lr = 1e-2, wd = 0.3 (wd on a linear scale), better with batch 32.
  const tn::SearchSpace space{{"lr", tn::LogUniform{1e-6, 1}},
                              {"wd", tn::Uniform{0, 1}},
                              {"batch", tn::Choice{{16, 32, 64}}}};
  const auto score = [](const tn::TrialParams& p) {
    const double d = std::pow(std::log10(p["lr"]) + 2, 2) + 10 * std::pow(p["wd"] - 0.3, 2);
    return tn::TrialScore{1 / (1 + d) - (p["batch"] == 32 ? 0 : 0.05), d};
  };
  const auto result = tn::coarse_to_fine(
      space, score, {.trials = 30, .fine_trials = 20, .keep_top = 4, .seed = 5, .quiet = true});
  REQUIRE(result.trials.size() == 50);
  REQUIRE(result.fine_space.size() == 3);
  std::vector<tn::Trial> coarse;
  for (const auto& t : result.trials)
    if (t.params.stage == 1) coarse.push_back(t);
  REQUIRE(coarse.size() == 30);  // in rank order, as result.trials
  const auto lr = std::get<tn::LogUniform>(result.fine_space[0].distribution);
  const auto wd = std::get<tn::Uniform>(result.fine_space[1].distribution);
  const auto batch = std::get<tn::Choice>(result.fine_space[2].distribution);
  CHECK(lr.low >= 1e-6);
  CHECK(lr.high <= 1);
  CHECK(lr.low < lr.high);
  CHECK(wd.low >= 0);
  CHECK(wd.high <= 1);
  // Narrower than the coarse ranges (4 decades of 6 would be the pad alone at most).
  CHECK(std::log10(lr.high / lr.low) < 6);
  CHECK(wd.high - wd.low < 1);
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(coarse[k].params["lr"] >= lr.low);
    CHECK(coarse[k].params["lr"] <= lr.high);
    CHECK(coarse[k].params["wd"] >= wd.low);
    CHECK(coarse[k].params["wd"] <= wd.high);
    CHECK(std::count(batch.values.begin(), batch.values.end(), coarse[k].params["batch"]) == 1);
  }
  std::size_t fine = 0;
  for (const auto& t : result.trials) {
    if (t.params.stage != 2) continue;
    ++fine;
    CHECK(t.params.trial >= 30);
    CHECK(t.params["lr"] >= lr.low);
    CHECK(t.params["lr"] <= lr.high);
    CHECK(t.params["wd"] >= wd.low);
    CHECK(t.params["wd"] <= wd.high);
  }
  CHECK(fine == 20);
  // The fine stage searched where it pays: its best is at least the coarse best here.
  CHECK(result.best().val_accuracy >= coarse.front().val_accuracy);
}

TEST_CASE("Bad search spaces and options are refused naming the parameter", "[tune]") {
  const auto score = [](const tn::TrialParams&) { return tn::TrialScore{0.5, 1}; };
  const auto refused = [&](const tn::SearchSpace& space, const tn::SearchOptions& options) {
    try {
      tn::coarse_to_fine(space, score, options);
    } catch (const std::invalid_argument& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  const tn::SearchOptions quiet{.quiet = true};
  CHECK_THAT(refused({}, quiet), Catch::Contains("coarse_to_fine: the search space is empty"));
  CHECK_THAT(refused({{"lr", tn::LogUniform{1e-3, 1e-3}}}, quiet),
             Catch::Contains("'lr'") && Catch::Contains("0 < low < high"));
  CHECK_THAT(refused({{"lr", tn::LogUniform{0, 1e-1}}}, quiet),
             Catch::Contains("'lr'") && Catch::Contains("LogUniform{0, 0.1}"));
  CHECK_THAT(refused({{"drop", tn::Uniform{0.5, 0.2}}}, quiet),
             Catch::Contains("'drop'") && Catch::Contains("low < high"));
  CHECK_THAT(refused({{"k", tn::Choice{}}}, quiet),
             Catch::Contains("'k'") && Catch::Contains("no values"));
  CHECK_THAT(refused({{"k", tn::Choice{{1}}}, {"k", tn::Choice{{2}}}}, quiet),
             Catch::Contains("'k' appears twice"));
  CHECK_THAT(refused({{"", tn::Choice{{1}}}}, quiet), Catch::Contains("has no name"));
  const tn::SearchSpace good{{"lr", tn::LogUniform{1e-3, 1e-1}}};
  CHECK_THAT(refused(good, {.trials = 0, .quiet = true}), Catch::Contains("trials is 0"));
  CHECK_THAT(refused(good, {.fine_trials = 0, .quiet = true}), Catch::Contains("fine_trials"));
  CHECK_THAT(refused(good, {.keep_top = 0, .quiet = true}), Catch::Contains("keep_top is 0"));
  CHECK_THAT(refused(good, {.margin = 0, .quiet = true}), Catch::Contains("margin 0"));
  CHECK_THAT(refused(good, {.workers = 0, .quiet = true}), Catch::Contains("workers is 0"));
  CHECK_THROWS_WITH(
      tn::grid_search(good, score, quiet),
      Catch::Contains("'lr' is a tn::LogUniform range") && Catch::Contains("tn::log_grid"));
  // A lookup of a name the space does not have names it and the ones it has.
  CHECK_THROWS_WITH(tn::random_search(good,
                                      [](const tn::TrialParams& p) {
                                        (void)p["learning_rate"];
                                        return tn::TrialScore{};
                                      },
                                      {.trials = 1, .quiet = true})
                        .best(),
                    Catch::Contains("none of the 1 trials"));
  tn::TrialParams p;
  p.values = {{"lr", 0.1}, {"k", 2.5}};
  CHECK_THROWS_AS(p["learning_rate"], std::invalid_argument);
  CHECK_THROWS_WITH(p["learning_rate"], Catch::Contains("no hyper-parameter is named "
                                                        "'learning_rate'") &&
                                            Catch::Contains("'lr', 'k'"));
  CHECK_THROWS_WITH(p.integer("k"), Catch::Contains("'k' is 2.5, not a whole number"));
}
