// The lectures' habits before and after training, on the real Fashion-MNIST (Debian's
// dataset-fashion-mnist), with LeNet-5:
//
// 1. babysitting a fresh model: the loss at initialisation (about ln 10?), overfitting 20
//    samples (100 %?), the learning-rate range test (written to OUTPUT_DIR/lr_find.csv and
//    lr_find.svg) -- none of them changes the model;
// 2. five LeNet-5s trained alike but for their seed (Adam at 2e-3, a cosine schedule, a few
//    epochs each), each one's test accuracy, then the ensembles of the first 2, 3 and 5: the
//    mean of their softmax probabilities.
//
//   ensemble_fashion_mnist [OUTPUT_DIR] [--epochs N] [--train-subset N] [--test-subset N]
//                          [--threads N]
//
// The subsets take the first N training / test images (the CTest smoke run uses them). --help
// lists the options with their defaults; a wrong one is one line on stderr and exit status 2, an
// output folder that cannot be written one line and status 1, before any training.
// docs/training.md quotes a full run.
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#include "arguments.hpp"

namespace tn = typenet;

using LeNet5 = tn::models::LeNet5<>;
using Member = tn::Model<LeNet5>;

int main(int argc, char** argv) try {
  std::string folder = "ensemble-fashion-mnist";
  std::size_t epochs = 2, train_subset = 0, test_subset = 0, threads = 0;
  CommandLine app{"Babysits a fresh LeNet-5 on Fashion-MNIST, then trains five and their ensembles",
                  "ensemble_fashion_mnist"};
  app.add_path("output", folder, "folder for lr_find.csv and lr_find.svg", /*show_default=*/true);
  app.add_count("--epochs", epochs, "epochs of training for each member", 1, 1'000'000);
  app.add_count("--train-subset", train_subset, "train on the first N images (0: all)", 0, 60'000);
  app.add_count("--test-subset", test_subset, "test on the first N images (0: all)", 0, 10'000);
  app.add_threads(threads);
  if (const auto status = app.parse(argc, argv)) return *status;
  if (const auto problem = train_subset_problem(train_subset); !problem.empty()) {
    report_error("ensemble_fashion_mnist", problem);
    return 2;
  }
  if (threads > 0) tn::set_threads(threads);
  const std::filesystem::path output = folder;
  prepare_output_folder(output);  // before the training, whose files it will hold

  auto data = tn::data::fashion_mnist();
  if (train_subset > 0) data.train = data.train.head(train_subset);
  if (test_subset > 0) data.test = data.test.head(test_subset);
  auto [train, validation] = tn::data::split(tn::data::pad(data.train, 2), training_share, 42);
  auto test = tn::data::pad(data.test, 2);
  const auto normalizer = tn::data::Normalizer::fit(train);
  normalizer.apply(train);
  normalizer.apply(validation);
  normalizer.apply(test);
  std::cout << "Fashion-MNIST: " << train.size() << " training, " << validation.size()
            << " validation, " << count_of(test.size(), "test image") << "; " << tn::threads()
            << " thread(s)\n\n";
  std::cout << std::fixed << std::setprecision(2);

  // Member k is initialised and shuffled with seed k + 1. Models hold pointers into their own
  // buffers: they stay where they are made.
  constexpr std::size_t members = 5;
  std::vector<std::unique_ptr<Member>> models;
  for (std::size_t k = 0; k < members; ++k)
    models.push_back(std::make_unique<Member>(tn::init::He{}, k + 1));

  std::cout << "babysitting member 1 before training:\n";
  Member& first = *models[0];
  // The reports are printed here, so the checks need not tell them on std::cerr as well.
  std::cout << "  " << tn::check_initial_loss(first, train, {.quiet = true}) << "\n";
  std::cout << "  "
            << tn::overfit_small_subset(first, train, 20, tn::optim::Adam{}, {.quiet = true})
            << "\n";
  tn::optim::Adam probe;
  const auto range = tn::find_learning_rate(
      first, probe, train,
      {.csv = output / "lr_find.csv", .svg = output / "lr_find.svg", .title = "LeNet-5, Adam"});
  std::cout << "  " << range << "\n  written: " << (output / "lr_find.csv").string() << ", "
            << (output / "lr_find.svg").string() << "\n\n";

  std::array<double, members> accuracy{};
  for (std::size_t k = 0; k < members; ++k) {
    const auto start = std::chrono::steady_clock::now();
    tn::optim::Adam adam{{.lr = 2e-3}};
    tn::fit(*models[k], adam, tn::loss::SoftmaxCrossEntropy{}, train,
            {.epochs = epochs,
             .batch = 64,
             .validation = validation,
             .schedule = tn::schedule::Cosine{},
             .seed = k + 1,
             .quiet = true});
    accuracy[k] = tn::evaluate(*models[k], test).accuracy;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "member " << k + 1 << " (seed " << k + 1 << "): test accuracy "
              << 100 * accuracy[k] << "%  (" << std::setprecision(1) << seconds << " s)\n"
              << std::setprecision(2);
  }

  auto& m = models;
  tn::Ensemble two(*m[0], *m[1]);
  tn::Ensemble three(*m[0], *m[1], *m[2]);
  tn::Ensemble five(*m[0], *m[1], *m[2], *m[3], *m[4]);
  const auto report = [&](const char* name, auto& ensemble, std::size_t count) {
    double mean = 0, best = 0;
    for (std::size_t k = 0; k < count; ++k) {
      mean += accuracy[k] / double(count);
      best = std::max(best, accuracy[k]);
    }
    const auto e = tn::evaluate(ensemble, test);
    std::cout << "ensemble of " << name << ": test accuracy " << 100 * e.accuracy
              << "%  (members' mean " << 100 * mean << "%, best " << 100 * best << "%; loss "
              << std::setprecision(4) << e.loss << ")\n"
              << std::setprecision(2);
  };
  std::cout << "\n";
  report("2", two, 2);
  report("3", three, 3);
  report("5", five, 5);
  return 0;
} catch (const std::exception& error) {
  report_error("ensemble_fashion_mnist", error.what());
  return 1;
}
