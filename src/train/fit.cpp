// Progress lines, history files and evaluation reports: formatting, compiled once.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string_view>

#include "typenet/train/fit.hpp"

namespace typenet {

namespace detail {

namespace {
bool is_terminal(std::ostream* out) {
  if (out != &std::cout && out != &std::cerr) return false;
  return ::isatty(out == &std::cout ? STDOUT_FILENO : STDERR_FILENO) != 0;
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

void Progress::notice(const std::string& line) {
  if (quiet_ || line.empty()) return;
  *out_ << line << "\n" << std::flush;
}

void check_input(const data::Dataset& data, std::span<const std::size_t> dims, std::size_t outputs,
                 const char* where) {
  const auto mismatch = [&](const std::string& what) {
    throw std::invalid_argument(std::string(where) + ": " + what);
  };
  if (data.size() == 0) mismatch("the dataset is empty");
  data.check(where);  // whole, 1 or more classes, every label in range (naming its row)
  std::size_t c = 1, h = 1, w = 1;
  if (dims.size() == 3)
    c = dims[0], h = dims[1], w = dims[2];
  else if (dims.size() == 1)
    w = dims[0];
  else if (dims.size() == 2)  // Steps x Features: a C x H x W sample read as its rows in order
    w = dims[0] * dims[1];
  const bool fits = dims.size() == 3 ? data.channels == c && data.height == h && data.width == w
                                     : data.sample_size() == w;
  if (!fits) {
    std::ostringstream text;
    text << "the dataset's samples are " << data.channels << "x" << data.height << "x" << data.width
         << " but the network takes ";
    for (std::size_t i = 0; i < dims.size(); ++i) text << (i ? "x" : "") << dims[i];
    text << " (tn::data::pad adds a border; Flatten-first networks take C*H*W features, "
            "sequence networks Steps*Features)";
    mismatch(text.str());
  }
  if (data.classes > outputs)
    mismatch("the dataset has " + std::to_string(data.classes) + " classes but the network has " +
             std::to_string(outputs) +
             " outputs (one per class; fewer classes than outputs is fine)");
  const auto bad = std::find_if(data.images.begin(), data.images.end(),
                                [](float v) { return !std::isfinite(v); });
  if (bad != data.images.end()) {
    const auto at = std::size_t(bad - data.images.begin());
    throw data::DataError(std::string(where) + ": sample " +
                          std::to_string(at / data.sample_size()) + " holds " +
                          (std::isnan(*bad) ? "NaN" : "infinity") + " (value " +
                          std::to_string(at % data.sample_size()) + " of the sample)");
  }
}

}  // namespace detail

std::ostream& operator<<(std::ostream& out, const Evaluation& e) {
  const auto flags = out.flags();
  const auto precision = out.precision();
  out << std::fixed << std::setprecision(4) << "loss " << e.loss << std::setprecision(2)
      << "  accuracy " << 100 * e.accuracy << "%";
  if (!std::isnan(e.top5_accuracy)) out << "  top-5 " << 100 * e.top5_accuracy << "%";
  out << "  (" << e.samples << " samples)\n";
  const std::size_t classes = e.confusion.size();
  out << "confusion matrix (rows: true class, columns: predicted)\n      ";
  for (std::size_t c = 0; c < classes; ++c) out << std::setw(6) << c;
  out << "   precision  recall\n";
  for (std::size_t t = 0; t < classes; ++t) {
    out << std::setw(6) << t;
    for (std::size_t p = 0; p < classes; ++p) out << std::setw(6) << e.confusion[t][p];
    out << std::setw(11) << std::setprecision(3) << e.precision[t] << std::setw(8) << e.recall[t]
        << "\n";
  }
  out.flags(flags);
  out.precision(precision);
  return out;
}

}  // namespace typenet
