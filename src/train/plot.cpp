// SVG line plots: the examples' training curves and the learning-rate range test's loss curve.
#include "typenet/train/plot.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <locale>
#include <sstream>
#include <stdexcept>

#include "typenet/io/atomic_file.hpp"

namespace typenet::plot {

std::string xml_escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else if (c == '\'')
      out += "&apos;";
    else
      out += c;
  }
  return out;
}

namespace {

constexpr double height = 380, panel_width = 380, top = 50, left = 60, plot_height = 270, gap = 80,
                 right_margin = 40;
constexpr std::array<const char*, 4> palette{"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

// Tick labels: "0.25", "1e-05", "120".
std::string number(double v) {
  std::ostringstream text;
  text.imbue(std::locale::classic());
  text.precision(3);
  text << v;
  return text.str();
}

void draw_panel(std::ostringstream& out, const Panel& panel, double x0) {
  const auto axis = [&](double x) { return panel.log_x ? std::log10(x) : x; };
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo;
  double y_lo = x_lo, y_hi = -x_lo;
  bool all_integer = true;
  std::size_t points = 0;
  for (const auto& s : panel.series)
    for (std::size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
      if (!std::isfinite(s.y[i]) || !std::isfinite(s.x[i])) continue;
      if (panel.log_x && s.x[i] <= 0)
        throw std::invalid_argument("plot: panel '" + panel.title + "' has a log x axis and x = " +
                                    number(s.x[i]) + " (series '" + s.label + "')");
      x_lo = std::min(x_lo, axis(s.x[i]));
      x_hi = std::max(x_hi, axis(s.x[i]));
      y_lo = std::min(y_lo, std::min(s.y[i], panel.y_max));
      y_hi = std::max(y_hi, std::min(s.y[i], panel.y_max));
      all_integer = all_integer && s.x[i] == std::round(s.x[i]);
      ++points;
    }
  if (points == 0) x_lo = y_lo = 0, x_hi = y_hi = 1;
  if (y_hi - y_lo < 1e-9) y_hi = y_lo + 1;
  const double margin = (y_hi - y_lo) * 0.08;
  y_lo -= margin;
  y_hi += margin;
  // One distinct x (one epoch) sits in the middle.
  const auto x = [&](double v) {
    return x0 + (x_hi > x_lo ? (axis(v) - x_lo) / (x_hi - x_lo) : 0.5) * panel_width;
  };
  const auto y = [&](double v) {
    return top + (y_hi - std::min(v, panel.y_max)) / (y_hi - y_lo) * plot_height;
  };
  out << "<rect x='" << x0 << "' y='" << top << "' width='" << panel_width << "' height='"
      << plot_height << "' fill='none' stroke='#888'/>\n<text x='" << x0 + panel_width / 2
      << "' y='" << top - 8 << "' text-anchor='middle'>" << xml_escaped(panel.title) << "</text>\n";
  for (int k = 0; k <= 4; ++k) {
    const double v = y_lo + (y_hi - y_lo) * k / 4;
    out << "<text x='" << x0 - 6 << "' y='" << y(v) + 4 << "' text-anchor='end'>"
        << (panel.percent ? std::to_string(int(std::lround(100 * v))) + "%" : number(v))
        << "</text>\n";
  }
  // x ticks: every value when they are a few whole numbers (epochs), powers of ten on a log
  // axis, else five.
  std::vector<double> ticks;
  if (panel.log_x) {
    for (double e = std::ceil(x_lo - 1e-9); e <= x_hi + 1e-9; ++e) ticks.push_back(std::pow(10, e));
  } else if (all_integer && x_hi - x_lo <= 20) {
    for (double v = x_lo; v <= x_hi; ++v) ticks.push_back(v);
  } else {
    for (int k = 0; k <= 4; ++k) ticks.push_back(x_lo + (x_hi - x_lo) * k / 4);
  }
  for (const double t : ticks)
    out << "<text x='" << x(t) << "' y='" << top + plot_height + 16 << "' text-anchor='middle'>"
        << number(t) << "</text>\n";
  out << "<text x='" << x0 + panel_width / 2 << "' y='" << top + plot_height + 34
      << "' text-anchor='middle'>" << xml_escaped(panel.x_label) << "</text>\n";
  std::size_t legend = 0;
  for (std::size_t k = 0; k < panel.series.size(); ++k) {
    const auto& s = panel.series[k];
    const std::string colour = s.colour.empty() ? palette[k % palette.size()] : s.colour;
    std::ostringstream line;
    bool any = false;
    for (std::size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i) {
      if (!std::isfinite(s.y[i]) || !std::isfinite(s.x[i])) continue;
      line << x(s.x[i]) << ',' << y(s.y[i]) << ' ';
      if (s.dots)
        out << "<circle cx='" << x(s.x[i]) << "' cy='" << y(s.y[i]) << "' r='3' fill='" << colour
            << "'/>\n";
      any = true;
    }
    if (!any) continue;
    out << "<polyline fill='none' stroke='" << colour << "' stroke-width='2' points='" << line.str()
        << "'/>\n";
    if (!s.label.empty())
      out << "<text x='" << x0 + panel_width - 90 << "' y='" << top + 16 + 16 * double(legend++)
          << "' fill='" << colour << "'>" << xml_escaped(s.label) << "</text>\n";
  }
  if (std::isfinite(panel.marker_x) && (!panel.log_x || panel.marker_x > 0)) {
    const double at = x(panel.marker_x);
    out << "<line x1='" << at << "' y1='" << top << "' x2='" << at << "' y2='" << top + plot_height
        << "' stroke='#555' stroke-dasharray='4 3'/>\n<text x='" << at + 4 << "' y='"
        << top + plot_height - 8 << "' fill='#555'>" << xml_escaped(panel.marker_label)
        << "</text>\n";
  }
}

}  // namespace

std::string svg(const std::string& title, std::span<const Panel> panels) {
  const double count = double(std::max<std::size_t>(panels.size(), 1));
  const double width = left + count * panel_width + (count - 1) * gap + right_margin;
  std::ostringstream out;
  out.imbue(std::locale::classic());  // a '.' in coordinates whatever the global locale says
  out << "<svg xmlns='http://www.w3.org/2000/svg' width='" << width << "' height='" << height
      << "' font-family='sans-serif' font-size='12'>\n<rect width='100%' height='100%' "
         "fill='white'/>\n<text x='"
      << width / 2 << "' y='22' text-anchor='middle' font-size='16'>" << xml_escaped(title)
      << "</text>\n";
  for (std::size_t k = 0; k < panels.size(); ++k)
    draw_panel(out, panels[k], left + double(k) * (panel_width + gap));
  out << "</svg>\n";
  return out.str();
}

void write_svg(const std::filesystem::path& path, const std::string& title,
               std::span<const Panel> panels) {
  io::write_atomically(path, svg(title, panels));
}

void write_curves(const std::filesystem::path& path, const History& history,
                  const std::string& title) {
  std::array<Panel, 2> panels{Panel{.title = "loss", .x_label = "epoch"},
                              Panel{.title = "accuracy", .x_label = "epoch"}};
  panels[1].percent = true;
  for (auto& panel : panels) {
    panel.series.push_back({.label = "training", .colour = "#1f77b4", .dots = true});
    panel.series.push_back({.label = "validation", .colour = "#d62728", .dots = true});
  }
  for (const auto& r : history.epochs) {
    for (auto& panel : panels)
      for (auto& series : panel.series) series.x.push_back(double(r.epoch));
    panels[0].series[0].y.push_back(r.train_loss);
    panels[0].series[1].y.push_back(r.validation_loss);  // NaN without validation: left out
    panels[1].series[0].y.push_back(r.train_accuracy);
    panels[1].series[1].y.push_back(r.validation_accuracy);
  }
  write_svg(path, title, panels);
}

}  // namespace typenet::plot
