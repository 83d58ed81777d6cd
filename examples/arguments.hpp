// The examples' command lines (CommandLine: CLI11, Debian's libcli11-dev) and output folders, the
// same in every program: --help lists every option with its default and exits 0; an argument a
// program cannot use (not a number, negative, out of range, an unknown option) is one line on
// stderr naming it, and exit status 2, before any data is read; an output folder that cannot be
// created or written in is one line naming it, before any training.
//
//   CommandLine arguments{"what the program does", "program"};
//   std::size_t epochs = 2, threads = 0;
//   arguments.add_count("--epochs", epochs, "epochs of training", 1, 1'000'000);
//   arguments.add_threads(threads);
//   if (const auto status = arguments.parse(argc, argv)) return *status;
#pragma once

#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <typenet/data/dataset.hpp>
#include <typenet/io/atomic_file.hpp>
#include <typenet/kernel/parallel.hpp>
#include <vector>

// An error as one line on stderr, "program: message", written at once (io::write_line: the
// processes of mpirun share one stderr), after flushing stdout, so that a log of both keeps their
// order (a message used to land before lines printed earlier, or inside a line of a table).
inline void report_error(std::string_view program, const std::string& message) {
  std::cout.flush();
  std::fflush(stdout);
  typenet::io::write_line(STDERR_FILENO, std::string(program) + ": " + message);
}

// A program's command line, parsed by CLI11 behind a compiled file (arguments.cpp, built once
// into typenet_example_arguments): CLI11 2.1 is header-only, and including it cost every example
// 9-12 s of its compile (lenet_fashion_mnist: 21.8-24 s with it; docs/design.md). Each add_*
// keeps a pointer to its variable, which must outlive parse().
class CommandLine {
 public:
  // `description` heads --help; `program` names the program there and in its messages.
  CommandLine(const std::string& description, const std::string& program);
  ~CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  // A whole number from `low` to `high`, its default shown in --help. Digits only ("0x10",
  // "1e3", "-1" are refused), then the range: CLI11 2.1 reads "-1" (and any number past 2^64)
  // into a std::size_t as 2^64 - 1, "0x10" as 16, and says "not in range" of a word.
  void add_count(const std::string& name, std::size_t& value, const std::string& description,
                 std::size_t low, std::size_t high);
  // A number from `low` to `high` as CLI11 reads it, default shown (predict's --top).
  void add_bounded(const std::string& name, std::size_t& value, const std::string& description,
                   std::size_t low, std::size_t high);
  // A path that must not be empty: an unset shell variable ("--checkpoint $CKPT") would
  // otherwise turn the option off without a word. `show_default`: --help shows its default.
  void add_path(const std::string& name, std::string& value, const std::string& description,
                bool show_default = false);
  void add_path(const std::string& name, std::filesystem::path& value,
                const std::string& description, bool show_default = false);
  // --threads N: the kernels' threads, 0 for typenet's default (every hardware thread); more
  // than the machine has are refused here, as typenet::set_threads would refuse them later.
  void add_threads(std::size_t& threads);
  // Any whole number a std::uint64_t holds (a seed): a range check cannot refuse "-1" there, as
  // every value CLI11 reads is in range.
  void add_seed(const std::string& name, std::uint64_t& value, const std::string& description);
  // A finite number above 0 (a learning rate); CLI::PositiveNumber let "nan" through.
  void add_positive(const std::string& name, double& value, const std::string& description);
  // One of `choices`; --help shows `shown_default`.
  void add_choice(const std::string& name, std::string& value, const std::string& description,
                  const std::vector<std::string>& choices, const std::string& shown_default);
  // A text `problem` accepts (returns "") or refuses (returns why); `kind` names it in --help.
  void add_checked(const std::string& name, std::string& value, const std::string& description,
                   std::function<std::string(const std::string&)> problem, const std::string& kind);
  // Positional arguments that must be given: one, or one or more.
  void add_required(const std::string& name, std::string& value, const std::string& description);
  void add_required(const std::string& name, std::vector<std::string>& values,
                    const std::string& description);
  // A check across options, run after they are all read: returns what is wrong, or "". It is
  // reported as a wrong argument is ("PROGRAM: TEXT (--help lists the arguments)", status 2).
  void add_check(std::function<std::string()> problem);
  // A subcommand (`program predict ...`), owned by this command line.
  CommandLine& add_subcommand(const std::string& name, const std::string& description);
  // Whether this subcommand was named on the parsed command line.
  bool given() const;
  // --help's text (of the subcommand given, if any).
  std::string help() const;

  // Parses the command line into the options' variables. Returns the exit status when the
  // program must stop: 0 after --help (printed on stdout), 2 after an argument it cannot use
  // ("PROGRAM: --epochs: Value 0 not in range 1 to 1000000 (--help lists the arguments)" on
  // stderr); nothing when it should go on. `print_help` false: --help exits 0 without a word
  // (the processes of mpirun other than rank 0).
  std::optional<int> parse(int argc, char** argv, bool print_help = true);

 private:
  struct Impl;
  explicit CommandLine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "1 image", "2 images": counts the user chose may be 1 (--test-subset 1, --samples 1).
inline std::string count_of(std::size_t n, const std::string& thing) {
  return std::to_string(n) + " " + thing + (n == 1 ? "" : "s");
}

// The share of the --train-subset images that trains; the rest validates (data::split).
inline constexpr double training_share = 55.0 / 60.0;

// What is wrong with a --train-subset of n images, or "": one that leaves no validation image
// (data::split rounds the training part to the nearest whole image).
inline std::string train_subset_problem(std::size_t n) {
  const auto validation = [](std::size_t images) {
    return images - typenet::data::split_size(images, training_share);
  };
  if (n == 0 || validation(n) > 0) return {};
  std::size_t smallest = n;
  while (validation(smallest) == 0) ++smallest;
  return "--train-subset " + std::to_string(n) +
         ": the images are split 55/60 for training and 5/60 for validation, rounded to whole "
         "images, which leaves none for validation; use --train-subset " +
         std::to_string(smallest) + " or more (0: all)";
}

// Creates `folder` (and its parents) and writes and removes a file in it, so that a path that
// cannot be an output folder is refused before a training whose results it would lose. Throws
// std::runtime_error("cannot use FOLDER as the output folder: REASON").
inline void prepare_output_folder(const std::filesystem::path& folder) {
  const auto refuse = [&](const std::string& reason) {
    throw std::runtime_error("cannot use " + folder.string() + " as the output folder: " + reason);
  };
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) refuse(error.message());
  if (!std::filesystem::is_directory(folder)) refuse("not a directory");
  const auto probe = folder / (".write-test." + std::to_string(::getpid()));
  std::FILE* file = std::fopen(probe.c_str(), "w");
  if (file == nullptr) refuse(std::string("cannot write in it (") + std::strerror(errno) + ")");
  std::fclose(file);
  std::filesystem::remove(probe, error);
}
