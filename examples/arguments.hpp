// The examples' command lines (CLI11, Debian's libcli11-dev) and output folders, the same in every
// program: --help lists every option with its default and exits 0; an argument a program cannot
// use (not a number, negative, out of range, an unknown option) is one line on stderr naming it,
// and exit status 2, before any data is read; an output folder that cannot be created or written
// in is one line naming it, before any training.
//
//   CLI::App app{"what the program does", "program"};
//   std::size_t epochs = 2, threads = 0;
//   add_count(app, "--epochs", epochs, "epochs of training", 1, 1'000'000);
//   add_threads(app, threads);
//   if (const auto status = parse_arguments(app, argc, argv)) return *status;
#pragma once

#include <unistd.h>
#include <CLI/CLI.hpp>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <typenet/data/dataset.hpp>
#include <typenet/io/atomic_file.hpp>
#include <typenet/kernel/parallel.hpp>

// An error as one line on stderr, "program: message", written at once (io::write_line: the
// processes of mpirun share one stderr), after flushing stdout, so that a log of both keeps their
// order (a message used to land before lines printed earlier, or inside a line of a table).
inline void report_error(std::string_view program, const std::string& message) {
  std::cout.flush();
  std::fflush(stdout);
  typenet::io::write_line(STDERR_FILENO, std::string(program) + ": " + message);
}

// Parses the command line into the options' variables. Returns the exit status when the program
// must stop: 0 after --help (printed on stdout), 2 after an argument it cannot use ("PROGRAM:
// --epochs: Value 0 not in range 1 to 1000000 (--help lists the arguments)" on stderr); nothing
// when it should go on. Checks across options belong in app.final_callback, throwing
// CLI::ValidationError: they are reported the same way. `print_help` false: --help exits 0
// without a word (the processes of mpirun other than rank 0).
inline std::optional<int> parse_arguments(CLI::App& app, int argc, char** argv,
                                          bool print_help = true) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    if (!print_help) return 0;
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    report_error(app.get_name(), std::string(error.what()) + " (--help lists the arguments)");
    return 2;
  }
  return std::nullopt;
}

// A whole number from `low` to `high`, its default shown in --help. The range is needed, not just
// the type: CLI11 2.1 reads "-1" (and any number past 2^64) into a std::size_t as 2^64 - 1.
inline CLI::Option* add_count(CLI::App& app, const std::string& name, std::size_t& value,
                              const std::string& description, std::size_t low, std::size_t high) {
  // Digits only, before the range: CLI11 also reads "0x10" as 16 and "1e3" as 1000, and says
  // "not in range" of a word.
  const CLI::Validator digits(
      [](std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          return "Value '" + text + "' is not a whole number 0, 1, 2, ... (digits only)";
        return {};
      },
      "N");
  return app.add_option(name, value, description)
      ->capture_default_str()
      ->check(digits)
      ->check(CLI::Range(low, high));
}

// A path that must not be empty: an unset shell variable ("--checkpoint $CKPT") would otherwise
// turn the option off without a word.
template <class Path>  // std::string or std::filesystem::path
CLI::Option* add_path(CLI::App& app, const std::string& name, Path& value,
                      const std::string& description) {
  const CLI::Validator nonempty(
      [](std::string& text) -> std::string {
        return text.empty() ? std::string("an empty path (is a shell variable unset?)")
                            : std::string();
      },
      "PATH");
  return app.add_option(name, value, description)->check(nonempty);
}

// --threads N: the kernels' threads, 0 for typenet's default (every hardware thread); more than
// the machine has are refused here, as typenet::set_threads would refuse them later.
inline CLI::Option* add_threads(CLI::App& app, std::size_t& threads) {
  return add_count(
      app, "--threads", threads,
      "kernel threads (0: all " + std::to_string(typenet::max_threads()) + " hardware threads)", 0,
      typenet::max_threads());
}

// Any whole number a std::uint64_t holds (a seed): CLI::Range cannot refuse "-1" there, as every
// value it reads is in range.
inline CLI::Option* add_seed(CLI::App& app, const std::string& name, std::uint64_t& value,
                             const std::string& description) {
  const CLI::Validator whole_number(
      [](std::string& text) -> std::string {
        std::uint64_t parsed = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (text.empty() || error != std::errc{} || end != text.data() + text.size())
          return "Value " + text + " is not a whole number from 0 to 18446744073709551615";
        return {};
      },
      "UINT");
  return app.add_option(name, value, description)->capture_default_str()->check(whole_number);
}

// A finite number above 0 (a learning rate). CLI::PositiveNumber lets "nan" through and prints
// the largest double in its message.
inline CLI::Option* add_positive(CLI::App& app, const std::string& name, double& value,
                                 const std::string& description) {
  const CLI::Validator positive(
      [](std::string& text) -> std::string {
        double parsed = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
        if (text.empty() || error != std::errc{} || end != text.data() + text.size() ||
            !std::isfinite(parsed) || !(parsed > 0))
          return "Value " + text + " is not a finite number above 0";
        return {};
      },
      "POSITIVE");
  return app.add_option(name, value, description)->capture_default_str()->check(positive);
}

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
