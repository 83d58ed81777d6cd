// Progress lines: formatting, compiled once; rank 0's files checked before the first epoch.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string_view>

#include "typenet/train/fit.hpp"

namespace typenet {

namespace detail {

namespace {
// Open MPI's mpirun gives each process it starts a pseudo-terminal for its standard output,
// whatever mpirun's own output is (a file, a pipe, CTest's log): there isatty says nothing about
// where the line ends up. So a process an MPI launcher started (Open MPI's and MPICH's launchers
// and PMIx set these variables) draws no self-updating line, and prints the plain lines a log
// wants (docs/distributed.md).
bool started_by_mpi_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

bool is_terminal(std::ostream* out) {
  if (out != &std::cout && out != &std::cerr) return false;
  return ::isatty(out == &std::cout ? STDOUT_FILENO : STDERR_FILENO) != 0 &&
         !started_by_mpi_launcher();
}

// A progress line is formatted into a buffer on the stack: a step of fit allocates nothing.
struct Line {
  std::array<char, 256> text{};
  std::size_t length = 0;
  void text_of(std::string_view piece) {
    for (char c : piece)
      if (length + 1 < text.size()) text[length++] = c;
  }
  template <class... A>
  requires(sizeof...(A) > 0) void add(const char* format, A... values) {
    if (length >= text.size()) return;
    const int n = std::snprintf(text.data() + length, text.size() - length, format, values...);
    if (n > 0) length = std::min(text.size() - 1, length + std::size_t(n));
  }
  // "42s", "3m07s" or "1h05m".
  void add_duration(double seconds) {
    const long s = std::lround(std::max(seconds, 0.0));
    if (s >= 3600)
      add("%ldh%02ldm", s / 3600, (s / 60) % 60);
    else if (s >= 60)
      add("%ldm%02lds", s / 60, s % 60);
    else
      add("%lds", s);
  }
  std::string_view view() const { return {text.data(), length}; }
};
}  // namespace

Progress::Progress(std::ostream* out, bool quiet, std::size_t epochs, std::size_t steps)
    : out_(out != nullptr ? out : &std::cout),
      quiet_(quiet),
      terminal_(is_terminal(out_)),
      epochs_(epochs),
      steps_(steps) {}

void Progress::step(std::size_t epoch, std::size_t step, double loss, double accuracy,
                    std::size_t images, double seconds) {
  if (quiet_) return;
  const double fraction = double(step) / double(steps_);
  const double rate = seconds > 0 ? double(images) / seconds : 0;
  const double eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
  Line line;
  line.add("epoch %zu/%zu ", epoch, epochs_);
  if (terminal_) {
    // Redrawn at most ten times a second, in place.
    if (step != steps_ && seconds - last_draw_ < 0.1) return;
    last_draw_ = seconds;
    constexpr int width = 24;
    const int filled = int(fraction * width);
    line.text_of("[");
    for (int i = 0; i < filled; ++i) line.text_of("=");
    if (filled < width) line.text_of(">");
    for (int i = filled + 1; i < width; ++i) line.text_of(" ");
    line.text_of("] ");
  } else {
    // Plain lines at each quarter of the epoch.
    const std::size_t quarter = std::size_t(fraction * 4 + 1e-9);
    if (step == 1) last_quarter_ = 0;
    if (quarter == last_quarter_ || quarter == 4) return;  // the epoch's end prints its own line
    last_quarter_ = quarter;
    line.add("%3d%% ", int(fraction * 100));
  }
  line.add("loss %.4f  acc %.2f%%  %.0f img/s  ETA ", loss, 100 * accuracy, rate);
  line.add_duration(eta);
  if (terminal_)
    *out_ << "\r" << line.view() << "\x1b[K" << std::flush;
  else
    *out_ << line.view() << "\n" << std::flush;
}

void Progress::epoch_end(const EpochRecord& r) {
  if (quiet_) return;
  Line line;
  line.add("epoch %zu/%zu  loss %.4f  acc %.2f%%", r.epoch, epochs_, r.train_loss,
           100 * r.train_accuracy);
  if (!std::isnan(r.validation_loss))
    line.add("  val_loss %.4f  val_acc %.2f%%", r.validation_loss, 100 * r.validation_accuracy);
  line.add("  lr %.4f  %.1fs  %.0f img/s", r.learning_rate, r.seconds, r.images_per_second);
  if (terminal_)
    *out_ << "\r" << line.view() << "\x1b[K\n" << std::flush;
  else
    *out_ << line.view() << "\n" << std::flush;
}

void prepare_outputs(Coordinator& parallel, const std::filesystem::path& checkpoint,
                     const std::filesystem::path& report) {
  std::string failure;
  if (parallel.rank() == 0) try {
      if (!report.empty()) prepare_report_folder(report);
      if (!checkpoint.empty()) check_checkpoint_path(checkpoint);
    } catch (const std::exception& error) {
      failure = error.what();
      if (failure.empty()) failure = "fit: rank 0's output files cannot be written";
    }
  if (!parallel.active()) {
    if (!failure.empty()) throw std::runtime_error(failure);
    return;
  }
  // Every process meets here, rank 0 with its failure if it has one: none waits for ever.
  if (!failure.empty()) throw std::runtime_error(parallel.fail(failure));
  try {
    parallel.check_in();
  } catch (const TrainingError& error) {
    throw std::runtime_error(error.what());
  }
}

void Progress::notice(const std::string& line) {
  if (quiet_ || line.empty()) return;
  *out_ << line << "\n" << std::flush;
}

}  // namespace detail

}  // namespace typenet
