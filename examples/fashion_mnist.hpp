// The Fashion-MNIST training run the examples share: arguments, data (Debian's
// dataset-fashion-mnist), normalisation, fit with Adam and a cosine schedule, test-set report,
// history.csv and curves.svg.
//
//   EXAMPLE [OUTPUT_DIR] [--epochs N] [--train-subset N] [--test-subset N] [--threads N]
//
// Writes OUTPUT_DIR/history.csv and OUTPUT_DIR/curves.svg and nothing else, anywhere else. The
// subsets take the first N training / test images (the CTest smoke runs use them).
//
// Built with TYPENET_EXAMPLE_MPI (lenet_fashion_mnist_mpi), it trains data-parallel on the
// processes mpirun starts, each with batch / processes samples per step, so that a step sees
// the same 64 images as one process does (`scripts/main --ranks 2`; docs/distributed.md). Only
// rank 0 prints and writes files.
#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <typenet/kernel/parallel.hpp>
#include <typenet/typenet.hpp>
#ifdef TYPENET_EXAMPLE_MPI
#include <sstream>
#include <typenet/dist/mpi.hpp>
#endif

#include "plot.hpp"

struct FashionMnistRun {
  const char* program;  // for messages
  const char* title;    // the summary's and the plot's title
  const char* output;   // the default output folder
  std::size_t epochs;   // default
  std::size_t pad;      // border added to the 28x28 images (LeNet-5 takes 32x32)
  double learning_rate;
  std::size_t batch = 64;
};

template <class Net>
int train_fashion_mnist(const FashionMnistRun& run, int argc, char** argv) try {
  namespace tn = typenet;
#ifdef TYPENET_EXAMPLE_MPI
  tn::mpi::Environment mpi(argc, argv);
  tn::Communicator* world = &tn::mpi::world();
  std::ostringstream elsewhere;  // what ranks other than 0 would print
  std::ostream& out = world->rank() == 0 ? std::cout : elsewhere;
  const std::size_t processes = world->size();
#else
  tn::Communicator* world = nullptr;
  std::ostream& out = std::cout;
  const std::size_t processes = 1;
#endif
  if (run.batch % processes != 0)
    throw std::invalid_argument("the batch of " + std::to_string(run.batch) +
                                " does not split over " + std::to_string(processes) + " processes");
  const std::size_t batch = run.batch / processes;
  std::filesystem::path output = run.output;
  std::size_t epochs = run.epochs;
  std::size_t subset = 0, test_subset = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    auto value = [&]() -> std::size_t {
      if (i + 1 >= argc) throw std::invalid_argument(argument + " needs a number");
      return std::stoul(argv[++i]);
    };
    if (argument == "--epochs")
      epochs = value();
    else if (argument == "--train-subset")
      subset = value();
    else if (argument == "--test-subset")
      test_subset = value();
    else if (argument == "--threads")
      tn::set_threads(value());
    else if (!argument.empty() && argument[0] == '-')
      throw std::invalid_argument("unknown option " + argument);
    else
      output = argument;
  }

  out << tn::summary<Net>(run.title) << "\n";
  auto data = tn::data::fashion_mnist();
  if (subset > 0) data.train = data.train.head(subset);
  if (test_subset > 0) data.test = data.test.head(test_subset);
  auto padded = [&](const auto& set) { return run.pad > 0 ? tn::data::pad(set, run.pad) : set; };
  auto [train, validation] = tn::data::split(padded(data.train), 55.0 / 60.0, 42);
  auto test = padded(data.test);
  const auto normalizer = tn::data::Normalizer::fit(train);
  normalizer.apply(train);
  normalizer.apply(validation);
  normalizer.apply(test);
  out << "Fashion-MNIST from " << tn::data::fashion_mnist_directory.string() << ": " << train.size()
      << " training, " << validation.size() << " validation, " << test.size() << " test images; "
      << tn::threads() << " thread(s)";
  if (processes > 1) out << " in each of " << processes << " processes, batch " << batch << " each";
  out << "\n";

  const auto start = std::chrono::steady_clock::now();
  tn::Model<Net> model{tn::init::He{}, /*seed=*/1, batch};
  tn::optim::Adam optimizer{{.lr = run.learning_rate}};
  const auto history = tn::fit(model, optimizer, tn::loss::SoftmaxCrossEntropy{}, train,
                               {.epochs = epochs,
                                .batch = batch,
                                .validation = validation,
                                .schedule = tn::schedule::Cosine{},
                                .distributed = {.communicator = world}});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto result = tn::evaluate(model, test);
  out << "\ntest set: " << result;
  if (world != nullptr && world->rank() != 0) return 0;  // rank 0 writes the files
  std::filesystem::create_directories(output);
  history.write_csv(output / "history.csv");
  write_curves_svg(history, output / "curves.svg", std::string(run.title) + " on Fashion-MNIST");
  // The weights, with the normalisation and the padding a prediction must repeat.
  tn::save_weights(model, output / "model.safetensors",
                   {{"normalizer.mean", std::to_string(normalizer.mean.at(0))},
                    {"normalizer.stddev", std::to_string(normalizer.stddev.at(0))},
                    {"pad", std::to_string(run.pad)},
                    {"dataset", "Fashion-MNIST"}});
  out << "\nfinal test accuracy: " << 100 * result.accuracy << "% (training: " << seconds
      << " s)\nhistory: " << (output / "history.csv").string()
      << "\ncurves:  " << (output / "curves.svg").string()
      << "\nmodel:   " << (output / "model.safetensors").string() << "\n";
  return 0;
} catch (const std::exception& error) {
  std::cerr << run.program << ": " << error.what() << "\n";
  return 1;
}
