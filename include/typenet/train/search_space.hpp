// The hyper-parameters a search tries (train/tune.hpp) and what one trial receives.
//
//   tn::SearchSpace space{{"lr", tn::LogUniform{1e-4, 1e-1}},
//                         {"weight_decay", tn::LogUniform{1e-6, 1e-2}},
//                         {"batch", tn::Choice{{32, 64, 128}}}};
//   ... in a trial:  double lr = params["lr"];  std::size_t batch = params.integer("batch");
//
// The lecture's advice (CS231n, "Hyperparameter optimization"): search the learning rate and
// the regularisation strength on a log scale (they act multiplicatively), at random rather than
// on a grid (Bergstra & Bengio, "Random Search for Hyper-Parameter Optimization", JMLR 2012),
// coarse first, then finer around the best results. Compiled once, in
// src/train/search_space.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace typenet {

// Values tried as they are: every one on a grid, one drawn with equal chances at random
// (Keras Tuner's hp.Choice, scikit-learn's lists in ParameterGrid). Integers (a batch, the k of
// kNN) are whole doubles, read back with TrialParams::integer.
struct Choice {
  std::vector<double> values;
};
// Uniform on [low, high] (scipy.stats.uniform): for a dropout rate, a momentum.
struct Uniform {
  double low = 0, high = 1;
};
// Uniform in log(value) on [low, high], 0 < low < high (scipy.stats.loguniform; Keras Tuner's
// sampling="log"): as many draws in [1e-5, 1e-4] as in [1e-2, 1e-1]. For learning rates and
// regularisation strengths.
struct LogUniform {
  double low = 1e-5, high = 1e-1;
};
using Distribution = std::variant<Choice, Uniform, LogUniform>;

struct Hyperparameter {
  std::string name;
  Distribution distribution;
};
// In the order given; a trial's parameters, the CSV's columns and the table's follow it.
using SearchSpace = std::vector<Hyperparameter>;

// `count` values from low to high, evenly spaced in log (numpy.geomspace): a log-scale grid
// (CS231n: "learning_rate = 10 ** uniform(-6, 1)" for random search, powers of ten for a grid).
// Throws std::invalid_argument unless 0 < low < high, both finite, and count >= 2.
Choice log_grid(double low, double high, std::size_t count);

// The parameters of one trial, and the seed it is to use for everything random it does
// (initialisation, shuffling, dropout): a trial's result depends on them alone.
struct TrialParams {
  std::vector<std::pair<std::string, double>> values;  // in the space's order
  std::uint64_t seed = 0;
  std::size_t trial = 0;  // from 0, in the order the search planned the trials
  std::size_t stage = 1;  // coarse_to_fine: 1 (coarse) or 2 (fine); otherwise 1
  std::size_t fold = 0;   // cross_validate: the validation fold, from 0; otherwise 0

  // The value of `name`. Throws std::invalid_argument naming it and listing the names there are.
  double operator[](std::string_view name) const;
  // The same as a whole number (a batch, k); throws std::invalid_argument naming the parameter
  // when it is negative or not whole.
  std::size_t integer(std::string_view name) const;
  bool contains(std::string_view name) const;
};

namespace detail {

// Throws std::invalid_argument, led by `where` ("random_search"), for an empty space, a
// parameter without a name or with the name of an earlier one, a Choice without values or with
// a value that is not finite, a Uniform with low >= high or a bound that is not finite, a
// LogUniform with low <= 0 or low >= high; the sentence names the parameter.
void check_space(const SearchSpace& space, const char* where);

// A 64-bit seed from a search's seed, a stage and a trial (SplitMix64 steps, Steele et al.
// 2014): different for every trial, and the same in every run.
std::uint64_t trial_seed(std::uint64_t seed, std::uint64_t stage, std::uint64_t trial);

// Every combination of the Choice values (the last parameter changing fastest, as
// itertools.product). Throws std::invalid_argument, led by `where`, naming a parameter that
// is not a Choice, or when the grid has more than max_grid points.
inline constexpr std::size_t max_grid = 1'000'000;
std::vector<std::vector<double>> grid_points(const SearchSpace& space, const char* where);

// One draw of every parameter with a generator seeded by `seed` (the draws depend on it alone).
std::vector<double> sample(const SearchSpace& space, std::uint64_t seed);

// The space narrowed around `best` (rows of values, best first, at least one): a Uniform's
// range becomes the smallest interval holding the best rows' values, a LogUniform's the same in
// log; each is widened on both sides by margin x max(its width, a tenth of the original width)
// and cut to the original range. A Choice keeps the values the best rows took.
SearchSpace narrow(const SearchSpace& space, const std::vector<std::vector<double>>& best,
                   double margin);

TrialParams make_params(const SearchSpace& space, const std::vector<double>& values,
                        std::uint64_t seed, std::size_t trial, std::size_t stage);

}  // namespace detail

}  // namespace typenet
