// A training history as an SVG file: loss (left) and accuracy (right) per epoch, training and
// validation (tn::plot, typenet/train/plot.hpp, draws it).
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <typenet/train/fit.hpp>
#include <typenet/train/plot.hpp>

inline void write_curves_svg(const typenet::History& history, const std::filesystem::path& path,
                             const std::string& title) {
  namespace plot = typenet::plot;
  std::array<plot::Panel, 2> panels{plot::Panel{.title = "loss", .x_label = "epoch"},
                                    plot::Panel{.title = "accuracy", .x_label = "epoch"}};
  panels[1].percent = true;
  for (auto& panel : panels) {
    panel.series.push_back({.label = "training", .colour = "#1f77b4", .dots = true});
    panel.series.push_back({.label = "validation", .colour = "#d62728", .dots = true});
  }
  for (const auto& r : history.epochs) {
    const double epoch = double(r.epoch);
    for (auto& panel : panels)
      for (auto& series : panel.series) series.x.push_back(epoch);
    panels[0].series[0].y.push_back(r.train_loss);
    panels[0].series[1].y.push_back(r.validation_loss);  // NaN without validation: left out
    panels[1].series[0].y.push_back(r.train_accuracy);
    panels[1].series[1].y.push_back(r.validation_accuracy);
  }
  plot::write_svg(path, title, panels);
}
