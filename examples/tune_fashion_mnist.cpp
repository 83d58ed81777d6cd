// A coarse-to-fine search for LeNet-5's learning rate and weight decay on the real
// Fashion-MNIST (Debian's dataset-fashion-mnist), as the lecture does it (CS231n,
// "Hyperparameter optimization"): a random search with both drawn log-uniformly over wide
// ranges, then a second one in the ranges narrowed around the best results. Each trial trains a
// fresh LeNet-5 (SGD with momentum 0.9, batch 64) for a few epochs on a training subset and is
// scored on a validation subset, both taken from the training set; the test set is used once, at
// the end, for the best setting (and for the untuned default beside it).
//
//   tune_fashion_mnist [OUTPUT_DIR] [--train N] [--validation N] [--test-subset N] [--epochs N]
//                      [--coarse N] [--fine N] [--keep-top N] [--workers N] [--seed N]
//
// Writes OUTPUT_DIR/search.csv (after every trial) and prints the table. --workers trials run at
// once, each on one kernel thread. docs/training.md quotes a full run. --help lists the options
// with their defaults; a wrong one is one line on stderr and exit status 2, an output folder that
// cannot be written one line and status 1, before any training.
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <stdexcept>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#include "arguments.hpp"

namespace tn = typenet;

using LeNet5 = tn::models::LeNet5<>;

namespace {

struct Arguments {
  std::string output = "tune-fashion-mnist";
  std::size_t train = 10'000, validation = 5'000, test_subset = 0, epochs = 2;
  std::size_t coarse = 30, fine = 20, keep_top = 5, workers = 2;
  std::uint64_t seed = 1;
};

// The options, with their defaults in `a` (--help lists them).
void add_options(CommandLine& app, Arguments& a) {
  app.add_path("output", a.output, "folder for search.csv", /*show_default=*/true);
  app.add_count("--train", a.train, "training images of each trial (from the training set)", 1,
                60'000);
  app.add_count("--validation", a.validation,
                "validation images scoring each trial (from the training set too)", 1, 60'000);
  app.add_count("--test-subset", a.test_subset, "test on the first N test images (0: all)", 0,
                10'000);
  app.add_count("--epochs", a.epochs, "epochs of each trial", 1, 1'000'000);
  app.add_count("--coarse", a.coarse, "trials of the coarse stage", 1, 1'000'000);
  app.add_count("--fine", a.fine, "trials of the fine stage", 1, 1'000'000);
  app.add_count("--keep-top", a.keep_top, "best coarse trials the fine ranges are narrowed around",
                1, 1'000'000);
  app.add_count("--workers", a.workers, "trials at once, one kernel thread each", 1, 1'024);
  app.add_seed("--seed", a.seed, "the search's seed");
  app.add_check([&a] {
    if (a.train + a.validation > 60'000)
      return "--train and --validation: take " + std::to_string(a.train + a.validation) +
             " of the 60,000 training images";
    // The fine stage would narrow around all the coarse trials, not the best few it was told.
    if (a.keep_top > a.coarse)
      return "--keep-top: " + std::to_string(a.keep_top) + " is more than the " +
             std::to_string(a.coarse) + " --coarse trials it keeps the best of";
    return std::string();
  });
}

// One trial's training: LeNet-5 from seed `seed`, SGD at `lr` with L2 weight decay `wd`.
tn::History train(tn::Model<LeNet5>& model, double lr, double wd, std::uint64_t seed,
                  std::size_t epochs, const tn::data::Dataset& train_set,
                  const tn::data::Dataset& validation) {
  tn::optim::SGD sgd{{.lr = lr, .momentum = 0.9, .weight_decay = wd}};
  return tn::fit(
      model, sgd, tn::loss::SoftmaxCrossEntropy{}, train_set,
      {.epochs = epochs, .batch = 64, .validation = validation, .seed = seed, .quiet = true});
}

}  // namespace

int main(int argc, char** argv) try {
  Arguments args;
  CommandLine app{
      "Searches LeNet-5's learning rate and weight decay on Fashion-MNIST coarse-to-fine",
      "tune_fashion_mnist"};
  add_options(app, args);
  if (const auto status = app.parse(argc, argv)) return *status;
  const std::filesystem::path output = args.output;
  prepare_output_folder(output);  // before the search, whose table it will hold
  // Trials run side by side, one kernel thread each: two trials keep two cores busy.
  tn::set_threads(1);

  auto data = tn::data::fashion_mnist();
  // The training and validation subsets: disjoint, from a seeded permutation of the training set.
  const double fraction = double(args.train + args.validation) / double(data.train.size());
  const auto pool = tn::data::split(tn::data::pad(data.train, 2), fraction, 42).first;
  // Named, not structured bindings: clang 14 cannot capture those in a lambda.
  auto parts = tn::data::split(pool, double(args.train) / double(args.train + args.validation), 43);
  auto& train_set = parts.first;
  auto& validation = parts.second;
  auto test = tn::data::pad(args.test_subset > 0 ? data.test.head(args.test_subset) : data.test, 2);
  const auto normalizer = tn::data::Normalizer::fit(train_set);
  normalizer.apply(train_set);
  normalizer.apply(validation);
  normalizer.apply(test);
  std::cout << "Fashion-MNIST: " << train_set.size() << " training and " << validation.size()
            << " validation images (of the training set), " << test.size() << " test images; "
            << args.epochs << " epoch(s) per trial, " << args.workers << " worker(s)\n\n";

  const tn::SearchSpace space{{"lr", tn::LogUniform{1e-4, 1}},
                              {"weight_decay", tn::LogUniform{1e-6, 1e-1}}};
  const auto start = std::chrono::steady_clock::now();
  const auto result = tn::coarse_to_fine(space,
                                         [&](const tn::TrialParams& p) {
                                           tn::Model<LeNet5> model{tn::init::He{}, p.seed, 64};
                                           return train(model, p["lr"], p["weight_decay"], p.seed,
                                                        args.epochs, train_set, validation);
                                         },
                                         {.trials = args.coarse,
                                          .fine_trials = args.fine,
                                          .keep_top = args.keep_top,
                                          .seed = args.seed,
                                          .workers = args.workers,
                                          .csv = output / "search.csv"});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::cout << "\n" << result << "\n";
  if (!result.fine_space.empty()) {
    const auto lr = std::get<tn::LogUniform>(result.fine_space[0].distribution);
    const auto wd = std::get<tn::LogUniform>(result.fine_space[1].distribution);
    std::cout << "fine stage drew lr from [" << lr.low << ", " << lr.high
              << "], weight_decay from [" << wd.low << ", " << wd.high << "]\n";
  }
  std::cout << "search: " << result.trials.size() << " trials in " << std::fixed
            << std::setprecision(1) << seconds << " s; table: " << (output / "search.csv").string()
            << "\n\n";

  // The best setting trained again from its seed, on one kernel thread as in its trial: the
  // same model, bit for bit. The untuned default (typenet's SGD rate, no decay) beside it; each
  // is tested once.
  const auto& best = result.best();
  const auto report = [&](const char* name, double lr, double wd, std::uint64_t seed) {
    tn::Model<LeNet5> model{tn::init::He{}, seed, 64};
    const auto history = train(model, lr, wd, seed, args.epochs, train_set, validation);
    const auto e = tn::evaluate(model, test);
    std::cout << name << " (lr " << std::setprecision(4) << std::defaultfloat << lr
              << ", weight_decay " << wd << "): validation " << std::fixed << std::setprecision(2)
              << 100 * history.epochs.back().validation_accuracy << "%, test accuracy "
              << 100 * e.accuracy << "% (loss " << std::setprecision(4) << e.loss << ")\n";
  };
  report("best setting", best.params["lr"], best.params["weight_decay"], best.params.seed);
  report("untuned default", 0.01, 0, best.params.seed);
  return 0;
} catch (const std::exception& error) {
  report_error("tune_fashion_mnist", error.what());
  return 1;
}
