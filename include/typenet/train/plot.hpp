// Line plots as plain SVG files (any browser opens them; no plotting package needed): the
// examples' curves.svg (loss and accuracy per epoch) and find_learning_rate's loss against the
// learning rate on a log axis.
//
//   tn::plot::Panel loss{.title = "loss", .x_label = "epoch"};
//   loss.series.push_back({.label = "training", .x = {1, 2, 3}, .y = {0.9, 0.6, 0.5}});
//   tn::plot::write_svg("run/loss.svg", "LeNet-5", {&loss, 1});
#pragma once

#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "typenet/train/history.hpp"

namespace typenet::plot {

// One line: y against x, points in order; a NaN or infinite y leaves its point out.
struct Series {
  std::string label{};  // the legend; empty: none
  std::vector<double> x{}, y{};
  std::string colour{};  // an SVG colour; empty: the panel's next of a fixed palette
  bool dots = false;     // a dot on each point (epochs) or the line alone (hundreds of steps)
};

// One plot area, side by side with the others.
struct Panel {
  std::string title{};    // above the area
  std::string x_label{};  // below it
  std::vector<Series> series{};
  bool log_x = false;    // a log10 axis (every x must then be > 0), ticked at powers of ten
  bool percent = false;  // y values are fractions, labelled as percentages
  // Values above this are drawn at the top edge (a loss that blew up would flatten the rest).
  double y_max = std::numeric_limits<double>::infinity();
  // A dashed vertical line at marker_x (NaN: none), labelled marker_label.
  double marker_x = std::numeric_limits<double>::quiet_NaN();
  std::string marker_label{};
};

// `text` with &, <, >, " and ' replaced by their XML entities: safe as SVG or HTML text and as
// an attribute value in either quote (the plots quote with ', the training report with ").
std::string xml_escaped(const std::string& text);

// The SVG text of `panels` in a row under `title`. Text is XML-escaped.
std::string svg(const std::string& title, std::span<const Panel> panels);

// svg(...) written with io::write_atomically (the old file or the new one, whole). Throws
// std::runtime_error naming the file when it cannot be written, std::invalid_argument when a
// log axis holds an x <= 0.
void write_svg(const std::filesystem::path& path, const std::string& title,
               std::span<const Panel> panels);

// A history's curves.svg: loss (left) and accuracy (right) per epoch, training and validation
// (left out without a validation set), as the examples and the training report draw them.
// Throws as write_svg.
void write_curves(const std::filesystem::path& path, const History& history,
                  const std::string& title);

}  // namespace typenet::plot
