// k-fold cross-validation: the folds' partition, what each trial gets, the per-setting mean
// and spread, and a problem whose right setting is known.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>
#include <typenet/typenet.hpp>
#include <utility>
#include <vector>

#include "tune_fixture.hpp"

namespace tn = typenet;

TEST_CASE("kfold partitions the samples into folds as equal as possible", "[cross_validate]") {
  const auto folds = tn::kfold(23, 5, 9);
  REQUIRE(folds.size() == 5);
  std::vector<std::size_t> sizes, all;
  for (const auto& f : folds) {
    sizes.push_back(f.size());
    CHECK(std::is_sorted(f.begin(), f.end()));
    all.insert(all.end(), f.begin(), f.end());
  }
  CHECK(sizes == std::vector<std::size_t>{5, 5, 5, 4, 4});
  std::sort(all.begin(), all.end());
  std::vector<std::size_t> every(23);
  std::iota(every.begin(), every.end(), std::size_t{0});
  CHECK(all == every);  // each sample in exactly one fold
  CHECK(tn::kfold(23, 5, 9) == folds);
  CHECK(tn::kfold(23, 5, 10) != folds);
  // Shuffled: the first fold is not the first five samples.
  CHECK(folds[0] != std::vector<std::size_t>{0, 1, 2, 3, 4});
  const auto loo = tn::kfold(4, 4, 1);  // leave-one-out
  for (const auto& f : loo) CHECK(f.size() == 1);
  CHECK_THROWS_WITH(tn::kfold(10, 1, 1), Catch::Contains("needs k >= 2"));
  CHECK_THROWS_WITH(tn::kfold(10, 11, 1), Catch::Contains("11 folds of 10 samples"));
}

TEST_CASE("cross_validate gives each trial the other folds to train on and one to validate",
          "[cross_validate]") {
  const auto data = tune_test::blobs(30, 1);
  std::mutex mutex;
  std::map<std::size_t, std::uint64_t> seed_of_fold;
  std::vector<std::size_t> validation_sizes;
  std::size_t calls = 0;
  const auto cv = tn::cross_validate(
      tn::SearchSpace{{"k", tn::Choice{{1, 2}}}}, data,
      [&](const tn::TrialParams& p, const tn::data::Dataset& train,
          const tn::data::Dataset& validation) {
        std::lock_guard lock(mutex);
        ++calls;
        CHECK(train.size() + validation.size() == 30);
        // The same fold gets the same seed in every setting.
        const auto [at, fresh] = seed_of_fold.emplace(p.fold, p.seed);
        CHECK(at->second == p.seed);
        if (fresh) validation_sizes.push_back(validation.size());
        // A made-up score: setting k = 2 is better, folds differ.
        return tn::TrialScore{0.5 + 0.1 * p["k"] + 0.01 * double(p.fold), 1.0 / p["k"]};
      },
      {.folds = 4, .workers = 2, .quiet = true});
  CHECK(calls == 8);
  CHECK(seed_of_fold.size() == 4);
  std::sort(validation_sizes.begin(), validation_sizes.end());
  CHECK(validation_sizes == std::vector<std::size_t>{7, 7, 8, 8});
  REQUIRE(cv.settings.size() == 2);
  CHECK(cv.folds == 4);
  const auto& best = cv.best();
  CHECK(best.values == std::vector<std::pair<std::string, double>>{{"k", 2}});
  REQUIRE(best.folds.size() == 4);
  // Mean and sample standard deviation of 0.70, 0.71, 0.72, 0.73, computed here.
  const std::vector<double> expected{0.70, 0.71, 0.72, 0.73};
  const double mean = (0.70 + 0.71 + 0.72 + 0.73) / 4;
  double squares = 0;
  for (double v : expected) squares += (v - mean) * (v - mean);
  CHECK(best.mean_accuracy == Approx(mean).epsilon(1e-12));
  CHECK(best.sd_accuracy == Approx(std::sqrt(squares / 3)).epsilon(1e-9));
  CHECK(best.mean_loss == Approx(0.5));
  CHECK(best.sd_loss == Approx(0).margin(1e-15));
  for (std::size_t f = 0; f < 4; ++f) CHECK(best.folds[f].params.fold == f);
  CHECK_THAT(cv.table(), Catch::Contains("± "));
}

TEST_CASE("cross_validate picks the learning rate that trains, and marks the one that diverges",
          "[cross_validate]") {
  const auto data = tune_test::blobs(90, 2);
  const auto cv = tn::cross_validate(tn::SearchSpace{{"lr", tn::Choice{{1e-7, 0.1, 1e30}}}}, data,
                                     [](const tn::TrialParams& p, const tn::data::Dataset& train,
                                        const tn::data::Dataset& validation) {
                                       return tune_test::train_blobs(p, train, validation);
                                     },
                                     {.folds = 3, .seed = 4, .quiet = true});
  REQUIRE(cv.settings.size() == 3);
  const auto& best = cv.best();
  CHECK(best.values[0].second == 0.1);
  CHECK(best.mean_accuracy > 0.8);  // blobs 2 sd apart: nearly separable
  CHECK(cv.settings[1].values[0].second == 1e-7);
  CHECK(cv.settings[1].status == tn::TrialStatus::ok);
  CHECK(cv.settings[1].mean_accuracy < best.mean_accuracy);
  const auto& diverged = cv.settings[2];
  CHECK(diverged.values[0].second == 1e30);
  CHECK(diverged.status == tn::TrialStatus::nan_loss);
  CHECK_THAT(diverged.message, Catch::StartsWith("fold ") && Catch::Contains("fit: epoch"));
  CHECK(std::isnan(diverged.mean_accuracy));
}

TEST_CASE("cross_validate refuses folds it cannot make", "[cross_validate]") {
  const auto data = tune_test::blobs(6, 1);
  const auto trial = [](const tn::TrialParams&, const tn::data::Dataset&,
                        const tn::data::Dataset&) {
    return tn::TrialScore{0.5, 1};
  };
  const tn::SearchSpace space{{"k", tn::Choice{{1, 3}}}};
  CHECK_THROWS_WITH(tn::cross_validate(space, data, trial, {.folds = 1, .quiet = true}),
                    Catch::Contains("cross_validate: 1 folds") &&
                        Catch::Contains("2 <= k <= the number of samples"));
  CHECK_THROWS_WITH(tn::cross_validate(space, data, trial, {.folds = 7, .quiet = true}),
                    Catch::Contains("7 folds of a dataset of 6 samples"));
  CHECK_THROWS_WITH(
      tn::cross_validate(tn::SearchSpace{{"wd", tn::LogUniform{1e-4, 1}}}, data, trial, {}),
      Catch::Contains("'wd' is a tn::LogUniform range"));
  CHECK_THROWS_WITH(tn::cross_validate(space, data, trial, {.workers = 0}),
                    Catch::Contains("workers is 0"));
}
