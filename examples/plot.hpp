// A training history as an SVG file: loss (left) and accuracy (right) per epoch, training and
// validation. Plain SVG, so any browser opens it; no plotting package needed.
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <typenet/train/fit.hpp>
#include <vector>

inline void write_curves_svg(const typenet::History& history, const std::filesystem::path& path,
                             const std::string& title) {
  constexpr double height = 380, panel = 380, top = 50, left = 60, plot_h = 270;
  constexpr double width = left + 2 * panel + 80 + 40;  // two panels, the gap, a right margin
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' font-family='sans-serif' font-size='12'>\n<rect width='100%' height='100%' "
         "fill='white'/>\n<text x='"
      << width / 2
      << "' y='22' text-anchor='middle' "
         "font-size='16'>"
      << title << "</text>\n";
  const std::size_t n = history.epochs.size();
  auto panel_plot = [&](double x0, const std::string& name, auto train_value, auto val_value,
                        bool percent) {
    std::vector<double> all;
    for (const auto& r : history.epochs) {
      all.push_back(train_value(r));
      if (!std::isnan(val_value(r))) all.push_back(val_value(r));
    }
    double lo = all.empty() ? 0 : *std::min_element(all.begin(), all.end());
    double hi = all.empty() ? 1 : *std::max_element(all.begin(), all.end());
    if (hi - lo < 1e-9) hi = lo + 1;
    const double pad = (hi - lo) * 0.08;
    lo -= pad;
    hi += pad;
    auto x = [&](std::size_t i) { return x0 + (n > 1 ? double(i) / double(n - 1) : 0.5) * panel; };
    auto y = [&](double v) { return top + (hi - v) / (hi - lo) * plot_h; };
    svg << "<rect x='" << x0 << "' y='" << top << "' width='" << panel << "' height='" << plot_h
        << "' fill='none' stroke='#888'/>\n<text x='" << x0 + panel / 2 << "' y='" << top - 8
        << "' text-anchor='middle'>" << name << "</text>\n";
    for (int k = 0; k <= 4; ++k) {
      const double v = lo + (hi - lo) * k / 4;
      svg << "<text x='" << x0 - 6 << "' y='" << y(v) + 4 << "' text-anchor='end'>"
          << (percent ? std::to_string(int(std::lround(100 * v))) + "%"
                      : std::to_string(v).substr(0, 5))
          << "</text>\n";
    }
    for (std::size_t i = 0; i < n; ++i)
      svg << "<text x='" << x(i) << "' y='" << top + plot_h + 16 << "' text-anchor='middle'>"
          << history.epochs[i].epoch << "</text>\n";
    svg << "<text x='" << x0 + panel / 2 << "' y='" << top + plot_h + 34
        << "' text-anchor='middle'>epoch</text>\n";
    auto line = [&](auto value, const char* colour, const char* label, double legend_y) {
      std::ostringstream points;
      bool any = false;
      for (std::size_t i = 0; i < n; ++i) {
        const double v = value(history.epochs[i]);
        if (std::isnan(v)) continue;
        points << x(i) << ',' << y(v) << ' ';
        svg << "<circle cx='" << x(i) << "' cy='" << y(v) << "' r='3' fill='" << colour << "'/>\n";
        any = true;
      }
      if (!any) return;
      svg << "<polyline fill='none' stroke='" << colour << "' stroke-width='2' points='"
          << points.str() << "'/>\n<text x='" << x0 + panel - 90 << "' y='" << legend_y
          << "' fill='" << colour << "'>" << label << "</text>\n";
    };
    line(train_value, "#1f77b4", "training", top + 16);
    line(val_value, "#d62728", "validation", top + 32);
  };
  panel_plot(
      left, "loss", [](const auto& r) { return r.train_loss; },
      [](const auto& r) { return r.validation_loss; }, false);
  panel_plot(
      left + panel + 80, "accuracy", [](const auto& r) { return r.train_accuracy; },
      [](const auto& r) { return r.validation_accuracy; }, true);
  svg << "</svg>\n";
  const auto temporary = std::filesystem::path(path.string() + ".tmp");
  {
    std::ofstream out(temporary);
    out << svg.str();
    if (!out) throw std::runtime_error(temporary.string() + ": cannot write");
  }
  std::filesystem::rename(temporary, path);
}
