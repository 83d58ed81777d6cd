// The Fashion-MNIST training run the examples share: arguments (CommandLine), data (Debian's
// dataset-fashion-mnist), normalisation, fit with Adam and a cosine schedule, test-set report,
// the training report folder and model.safetensors; and the prediction mode on image files.
//
//   EXAMPLE [OUTPUT_DIR] [--epochs N] [--train-subset N] [--test-subset N] [--threads N]
//           [--checkpoint FILE [--checkpoint-every N]] [--resume-from FILE]
//   EXAMPLE predict MODEL IMAGE... [--top N] [--threads N]
//
// Training writes OUTPUT_DIR/model.safetensors and the training report (train/report.hpp) on the
// test set: OUTPUT_DIR/index.html, history.csv, curves.svg, confusion.png, misclassified.png,
// filters.png (with a Conv2D), inputs.png; and nothing else, anywhere else. The subsets take the
// first N training / test images (the CTest smoke runs use them). Prediction prints one line per
// image file: its name, then the most probable classes with their probabilities
// (fashion_mnist_predict.hpp). --checkpoint saves the run after every N-th epoch and the last
// (fit's .checkpoint), --resume-from continues a saved run (fit's .resume_from, the same
// --train-subset), on one process or several. 55/60 of the training images train, the rest
// validate, so a --train-subset below 7 (no validation image) is a wrong argument. Any error is
// one line on stderr, written at once (report_error), and exit status 1 (2 for wrong arguments);
// an image that cannot be read does not stop the others.
//
// Built with TYPENET_EXAMPLE_MPI (lenet_fashion_mnist_mpi), it trains data-parallel on the
// processes mpirun starts, each with batch / processes samples per step, so that a step sees
// the same 64 images as one process does (`scripts/main --ranks 2`; docs/distributed.md). Only
// rank 0 prints and writes files (the checkpoint too); every process reads --resume-from, so a
// checkpoint of 2 processes resumes on 1, 2 or 4.
#pragma once

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <typenet/kernel/parallel.hpp>
#include <typenet/typenet.hpp>
#include <vector>
#ifdef TYPENET_EXAMPLE_MPI
#include <typenet/dist/mpi.hpp>
#endif

#include "arguments.hpp"
#include "fashion_mnist_predict.hpp"

struct FashionMnistRun {
  const char* program;  // for messages
  const char* title;    // the summary's and the report's title
  const char* output;   // the default output folder
  std::size_t epochs;   // default
  std::size_t pad;      // border added to the 28x28 images (LeNet-5 takes 32x32)
  double learning_rate;
  std::size_t batch = 64;
  // A sentence added in front when `predict` is given a weight file that does not fit the
  // network ("" when there is nothing to add): sequence_fashion_mnist names the --cell that
  // trained it.
  std::function<std::string(const std::filesystem::path&)> model_hint{};
};

// The training mode's arguments.
struct TrainArguments {
  std::filesystem::path output;
  std::size_t epochs = 0, train_subset = 0, test_subset = 0;
  std::filesystem::path checkpoint{}, resume_from{};  // empty: none
  std::size_t checkpoint_every = 1;
};

// Under mpirun, a process that stops before training (a wrong argument, an output folder it
// cannot use, --help) must stop the others: they would wait in fit's first exchange for ever.
// Every process passes here exactly once before fit, ready or not; returns how many were not.
// `help`: this one was given --help; how many were is returned in `helped` (rank 0 prints the
// help when all were, each one that was when only some were).
inline std::int64_t processes_not_ready(typenet::Communicator* world, bool ready, bool help = false,
                                        std::int64_t* helped = nullptr) {
  std::int64_t counts[2] = {ready ? 0 : 1, help ? 1 : 0};
  if (world != nullptr && world->size() > 1)
    world->allreduce_sum(std::span<std::int64_t>(counts, 2));
  if (helped != nullptr) *helped = counts[1];
  return counts[0];
}

// `world`: the processes to train on together (nullptr: this one alone).
template <class Net>
int train_fashion_mnist(const FashionMnistRun& run, const TrainArguments& arguments,
                        typenet::Communicator* world) {
  namespace tn = typenet;
  bool announced = false;  // whether this process has passed processes_not_ready
  try {
    std::ostringstream elsewhere;  // what ranks other than 0 would print
    std::ostream& out = world == nullptr || world->rank() == 0 ? std::cout : elsewhere;
    const std::size_t processes = world == nullptr ? 1 : world->size();
    const std::size_t batch = run.batch / processes;  // fashion_mnist_main checked the split
    const std::filesystem::path& output = arguments.output;
    const std::size_t epochs = arguments.epochs, subset = arguments.train_subset,
                      test_subset = arguments.test_subset;
    // The output folder before the training, not after it: a path that cannot be one would
    // otherwise throw away a finished run.
    if (world == nullptr || world->rank() == 0) {
      prepare_output_folder(output);
      tn::io::check_writable(output / "model.safetensors");  // a directory in its place, say
    }
    out << tn::summary<Net>(run.title) << "\n";
    auto data = tn::data::fashion_mnist();
    if (subset > 0) data.train = data.train.head(subset);
    if (test_subset > 0) data.test = data.test.head(test_subset);
    auto padded = [&](const auto& set) { return run.pad > 0 ? tn::data::pad(set, run.pad) : set; };
    auto [train, validation] = tn::data::split(padded(data.train), training_share, 42);
    auto test = padded(data.test);
    const auto normalizer = tn::data::Normalizer::fit(train);
    normalizer.apply(train);
    normalizer.apply(validation);
    normalizer.apply(test);
    out << "Fashion-MNIST from " << tn::data::fashion_mnist_directory.string() << ": "
        << train.size() << " training, " << validation.size() << " validation, "
        << count_of(test.size(), "test image") << "; " << tn::threads() << " thread(s)";
    if (processes > 1)
      out << " in each of " << processes << " processes, batch " << batch << " each";
    out << "\n";

    announced = true;
    if (processes_not_ready(world, true) > 0) {
      report_error(run.program, "rank " + std::to_string(world->rank()) + " of " +
                                    std::to_string(processes) +
                                    ": another process stopped before training (its message "
                                    "says why)");
      return 1;
    }
    const auto start = std::chrono::steady_clock::now();
    tn::Model<Net> model{tn::init::He{}, /*seed=*/1, batch};
    tn::optim::Adam optimizer{{.lr = run.learning_rate}};
    tn::fit(
        model, optimizer, tn::loss::SoftmaxCrossEntropy{}, train,
        {.epochs = epochs,
         .batch = batch,
         .validation = validation,
         .schedule = tn::schedule::Cosine{},
         .checkpoint = {.path = arguments.checkpoint, .every_epochs = arguments.checkpoint_every},
         .resume_from = arguments.resume_from,
         .distributed = {.communicator = world},
         .report = {.folder = output,
                    .data = test,
                    .data_name = "the test set",
                    .class_names = {fashion_mnist_classes.begin(), fashion_mnist_classes.end()},
                    .title = std::string(run.title) + " on Fashion-MNIST"}});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const auto result = tn::evaluate(model, test);
    out << "\ntest set: " << result;
    if (world != nullptr && world->rank() != 0) return 0;  // rank 0 writes the files
    // The weights, with the normalisation and the padding a prediction must repeat.
    tn::save_weights(model, output / "model.safetensors",
                     preprocessing_metadata({normalizer, run.pad}));
    out << "\nfinal test accuracy: " << 100 * result.accuracy << "% (training: " << seconds
        << " s)\nreport:  " << (output / "index.html").string()
        << "\nhistory: " << (output / "history.csv").string()
        << "\ncurves:  " << (output / "curves.svg").string()
        << "\nmodel:   " << (output / "model.safetensors").string() << "\n";
    return 0;
  } catch (const std::exception& error) {
    report_error(run.program, error.what());
    if (!announced) processes_not_ready(world, false);
    return 1;
  }
}

// Prints, for each image file, its name and the `top` most probable classes:
//   shirt.jpg: Shirt 97.2%, T-shirt/top 1.7%, Pullover 1.0%
template <class Net>
int predict_fashion_mnist(const FashionMnistRun& run, const std::filesystem::path& model,
                          const std::vector<std::filesystem::path>& images, std::size_t top) try {
  std::optional<FashionMnistPredictor<Net>> loaded;
  try {
    loaded.emplace(model);
  } catch (const typenet::io::WeightsError& error) {
    const std::string hint = run.model_hint ? run.model_hint(model) : "";
    if (hint.empty()) throw;
    throw std::runtime_error(hint + "; " + error.what());
  }
  auto& predictor = *loaded;
  int status = 0;
  for (const auto& image : images) {
    std::vector<ClassProbability> classes;
    try {
      classes = predictor.predict(image, top);
    } catch (const std::exception& error) {
      report_error(run.program, error.what());
      status = 1;
      continue;
    }
    std::cout << image.string() << ":";
    for (std::size_t k = 0; k < classes.size(); ++k) {
      char probability[16];
      std::snprintf(probability, sizeof probability, "%.1f%%", 100 * classes[k].probability);
      std::cout << (k ? ", " : " ") << fashion_mnist_classes.at(classes[k].label) << " "
                << probability;
    }
    std::cout << "\n";
  }
  return status;
} catch (const std::exception& error) {
  report_error(run.program, error.what());
  return 1;
}

// The processes a batch of `batch` splits over, as "1, 2, 4 or 8".
inline std::string process_counts(std::size_t batch) {
  std::vector<std::string> counts;
  for (std::size_t n = 1; n <= batch; ++n)
    if (batch % n == 0) counts.push_back(std::to_string(n));
  std::string text;
  for (std::size_t i = 0; i < counts.size(); ++i)
    text += (i == 0 ? "" : i + 1 == counts.size() ? " or " : ", ") + counts[i];
  return text;
}

// What is wrong with resuming `checkpoint` for `epochs` epochs, in the command line's words, or
// "" (nothing, or a file fit's own reading will explain): fit's message would speak of its
// options (epochs = N) to a user of the program.
inline std::string resume_problem(const std::filesystem::path& checkpoint, std::size_t epochs) {
  std::size_t finished = 0;
  try {
    const auto file = typenet::io::Safetensors::read(checkpoint);
    const auto it = file.metadata().find("typenet.epoch");
    if (it == file.metadata().end()) return {};
    const std::string& text = it->second;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), finished);
    if (error != std::errc{} || end != text.data() + text.size()) return {};
  } catch (const std::exception&) {
    return {};
  }
  if (finished <= epochs) return {};
  return "--resume-from " + checkpoint.string() + " holds " + std::to_string(finished) +
         " finished epochs, more than --epochs " + std::to_string(epochs) + ": give --epochs " +
         std::to_string(finished) + " or more (a run cannot be made shorter)";
}

// The examples' main: training (the default) or `predict`, as at the top of this file.
// `more_options` adds a program's own options (sequence_fashion_mnist's --cell) to both modes,
// so that --help lists them and they are parsed in every form (--cell gru, --cell=gru).
// Under mpirun, what is the same on every process (--help, a batch that does not split, a
// --train-subset or --checkpoint refused for itself) is printed by rank 0 alone; what a process
// found in a file, and an argument the parser refuses (processes can be given different ones), by
// it.
template <class Net>
int fashion_mnist_main(FashionMnistRun run, int argc, char** argv,
                       const std::function<void(CommandLine&)>& more_options = {}) {
#ifdef TYPENET_EXAMPLE_MPI
  typenet::mpi::Environment mpi(argc, argv);  // before parsing: MPI_Init may take its arguments
  typenet::Communicator* world = &typenet::mpi::world();
  const std::string program = std::string(run.program) + "_mpi";  // its own messages' name
  run.program = program.c_str();
#else
  typenet::Communicator* world = nullptr;
#endif
  const bool first = world == nullptr || world->rank() == 0;
  // Stops before training, with status 2: `everywhere` when every process finds the same.
  const auto refuse = [&](const std::string& message, bool everywhere) {
    if (first || !everywhere) report_error(run.program, message);
    processes_not_ready(world, false);
    return 2;
  };
  CommandLine app{std::string(run.title) +
                      " on Fashion-MNIST: trains it (by default) or predicts "
                      "the classes of image files",
                  run.program};
  TrainArguments train{.output = run.output, .epochs = run.epochs};
  std::string output = run.output, model;
  std::size_t threads = 0, top = 3;
  std::vector<std::string> images;
  app.add_path("output", output, "folder for the training report and model.safetensors",
               /*show_default=*/true);
  app.add_count("--epochs", train.epochs, "epochs of training", 1, 1'000'000);
  app.add_count("--train-subset", train.train_subset, "train on the first N images (0: all)", 0,
                60'000);
  app.add_count("--test-subset", train.test_subset, "test on the first N images (0: all)", 0,
                10'000);
  app.add_threads(threads);
  app.add_path("--checkpoint", train.checkpoint,
               "save the run to FILE after every --checkpoint-every epochs and the last");
  app.add_count("--checkpoint-every", train.checkpoint_every, "epochs between checkpoints", 1,
                1'000'000);
  app.add_path("--resume-from", train.resume_from,
               "continue the run a checkpoint FILE saved (the same --train-subset)");
  auto& predict = app.add_subcommand("predict", "print the most probable classes of image files");
  predict.add_required("model", model, "the weight file training wrote (model.safetensors)");
  predict.add_required("images", images, "PNG, JPEG, BMP or binary PGM/PPM files");
  predict.add_bounded("--top", top, "how many classes to print", 1, fashion_mnist_classes.size());
  predict.add_threads(threads);
  if (more_options) {
    more_options(app);
    more_options(predict);
  }
  // A wrong argument is each process's own (mpirun's "A : B" gives processes different ones):
  // each prints its own. --help is printed once when every process was given it; a process
  // given it alone prints it itself (the others say it stopped and why to look).
  if (const auto status = app.parse(argc, argv, /*print_help=*/world == nullptr)) {
    const bool help = *status == 0;
    std::int64_t helped = 0;
    processes_not_ready(world, false, help, &helped);
    if (help && world != nullptr && (first || helped < std::int64_t(world->size())))
      std::cout << app.help();
    return *status;
  }
  if (!predict.given()) {
    const std::size_t processes = world == nullptr ? 1 : world->size();
    if (run.batch % processes != 0)
      return refuse("the batch of " + std::to_string(run.batch) + " does not split over " +
                        std::to_string(processes) + " processes; use " + process_counts(run.batch) +
                        " processes",
                    true);
    if (const auto problem = train_subset_problem(train.train_subset); !problem.empty())
      return refuse(problem, true);
    // The checkpoint in the place of a file the run writes: the last one would overwrite it (a
    // later --resume-from then found a weight file, not a checkpoint).
    std::error_code error;
    const auto checkpoint = std::filesystem::weakly_canonical(train.checkpoint, error);
    std::vector<std::string> own_files{"model.safetensors"};
    own_files.insert(own_files.end(), std::begin(typenet::report_file_names),
                     std::end(typenet::report_file_names));
    for (const auto& name : own_files) {
      std::error_code other_error;
      const auto file =
          std::filesystem::weakly_canonical(std::filesystem::path(output) / name, other_error);
      if (!train.checkpoint.empty() && !error && !other_error && checkpoint == file)
        return refuse("--checkpoint " + train.checkpoint.string() + " is the " + name +
                          " the run writes in its output folder; give the checkpoint a file of "
                          "its own",
                      true);
    }
    if (!train.resume_from.empty()) {
      // Another network's checkpoint (sequence_fashion_mnist: another --cell), then too many
      // epochs; every process reads the file, and says what it found in it.
      if (const auto hint = run.model_hint ? run.model_hint(train.resume_from) : std::string();
          !hint.empty())
        return refuse(hint, false);
      if (const auto problem = resume_problem(train.resume_from, train.epochs); !problem.empty())
        return refuse(problem, false);
    }
  }
  if (threads > 0) typenet::set_threads(threads);  // add_threads checked the count
  if (predict.given()) {
    if (!first) return 0;  // one process predicts
    return predict_fashion_mnist<Net>(run, model, {images.begin(), images.end()}, top);
  }
  train.output = output;
  return train_fashion_mnist<Net>(run, train, world);
}
