// The learning-rate range test's bookkeeping, suggestion and files, compiled once.
#include "typenet/train/lr_find.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <locale>
#include <sstream>

#include "typenet/io/atomic_file.hpp"
#include "typenet/train/plot.hpp"

namespace typenet {

namespace {
std::string short_number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", v);
  return text;
}
}  // namespace

namespace detail {

LearningRateSweep::LearningRateSweep(const LearningRateFinderOptions& options) : options_(options) {
  const auto refuse = [](const std::string& what) {
    throw std::invalid_argument("find_learning_rate: " + what);
  };
  if (!(std::isfinite(options.start) && options.start > 0))
    refuse("start is " + short_number(options.start) + "; it must be finite and > 0");
  if (!(std::isfinite(options.end) && options.end > options.start))
    refuse("end is " + short_number(options.end) + "; it must be finite and above start (" +
           short_number(options.start) + ")");
  if (options.steps < 2) refuse("steps is " + std::to_string(options.steps) + "; it must be >= 2");
  if (options.batch == 0) refuse("batch is 0; it must be >= 1");
  if (!(options.smoothing >= 0 && options.smoothing < 1))
    refuse("smoothing is " + short_number(options.smoothing) + "; it must be in [0, 1)");
  if (!(options.divergence > 1))
    refuse("divergence is " + short_number(options.divergence) + "; it must be > 1");
  finding_.stop_reason = "swept the whole range";
}

double LearningRateSweep::rate(std::size_t step) const {
  const double t = double(step) / double(options_.steps - 1);
  return options_.start * std::pow(options_.end / options_.start, t);
}

bool LearningRateSweep::record(double learning_rate, double loss) {
  const std::size_t i = finding_.losses.size();
  average_ = options_.smoothing * average_ + (1 - options_.smoothing) * loss;
  const double smoothed = average_ / (1 - std::pow(options_.smoothing, double(i + 1)));
  finding_.learning_rates.push_back(learning_rate);
  finding_.losses.push_back(loss);
  finding_.smoothed.push_back(smoothed);
  if (i > 0 && smoothed > options_.divergence * best_) {
    finding_.diverged = true;
    finding_.stop_reason = "the smoothed loss " + short_number(smoothed) + " passed " +
                           short_number(options_.divergence) + " x its best " +
                           short_number(best_) + " at rate " + short_number(learning_rate);
    return false;
  }
  best_ = std::min(best_, smoothed);
  return true;
}

void LearningRateSweep::fail(double learning_rate, const std::string& cause) {
  finding_.diverged = true;
  finding_.stop_reason = "the step at rate " + short_number(learning_rate) + " failed: " + cause;
}

LearningRateFinding LearningRateSweep::finish() {
  auto& f = finding_;
  const auto& s = f.smoothed;
  if (!s.empty()) {
    const std::size_t lowest = std::size_t(std::min_element(s.begin(), s.end()) - s.begin());
    f.minimum = f.learning_rates[lowest];
    f.minimum_over_ten =
        std::clamp(f.minimum / 10, f.learning_rates.front(), f.learning_rates.back());
    // The slope d(smoothed)/d(log10 rate) by central differences (one-sided at the ends), from
    // a tenth of the way in to the minimum: the start is the average's warm-up, and after the
    // minimum the loss no longer falls.
    const std::size_t first = std::min(lowest, std::max<std::size_t>(1, options_.steps / 10));
    double steepest = std::numeric_limits<double>::infinity();
    f.suggested = f.minimum_over_ten;  // too few steps before the minimum to take a slope
    for (std::size_t i = first; i <= lowest && s.size() > 1; ++i) {
      const std::size_t a = i == 0 ? 0 : i - 1, b = std::min(i + 1, s.size() - 1);
      const double run = std::log10(f.learning_rates[b]) - std::log10(f.learning_rates[a]);
      const double slope = (s[b] - s[a]) / run;
      if (slope < steepest) {
        steepest = slope;
        f.suggested = f.learning_rates[i];
      }
    }
  }
  if (!options_.csv.empty()) {
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out << "step,learning_rate,loss,smoothed_loss\n" << std::setprecision(9);
    for (std::size_t i = 0; i < f.losses.size(); ++i)
      out << i + 1 << ',' << f.learning_rates[i] << ',' << f.losses[i] << ',' << f.smoothed[i]
          << '\n';
    io::write_atomically(options_.csv, out.str());
  }
  if (!options_.svg.empty()) {
    std::array<plot::Panel, 1> panel{plot::Panel{.title = "loss", .x_label = "learning rate"}};
    panel[0].log_x = true;
    panel[0].series.push_back(
        {.label = "loss", .x = f.learning_rates, .y = f.losses, .colour = "#aec7e8"});
    panel[0].series.push_back(
        {.label = "smoothed", .x = f.learning_rates, .y = f.smoothed, .colour = "#1f77b4"});
    if (!s.empty()) {
      // Up to where the sweep stopped (or began, when it began higher): a raw loss that blew up
      // further would flatten the interesting part.
      panel[0].y_max = std::max(s.front(), options_.divergence * best_);
      panel[0].marker_x = f.suggested;
      panel[0].marker_label = "suggested " + short_number(f.suggested);
    }
    plot::write_svg(options_.svg, options_.title, panel);
  }
  return f;
}

}  // namespace detail

std::ostream& operator<<(std::ostream& out, const LearningRateFinding& f) {
  out << "find_learning_rate: " << f.losses.size() << " steps";
  if (!f.learning_rates.empty())
    out << " from " << short_number(f.learning_rates.front()) << " to "
        << short_number(f.learning_rates.back());
  out << " (" << f.stop_reason << "); suggested " << short_number(f.suggested)
      << " (steepest descent), lowest loss at " << short_number(f.minimum)
      << " (/10: " << short_number(f.minimum_over_ten) << ")";
  return out;
}

}  // namespace typenet
