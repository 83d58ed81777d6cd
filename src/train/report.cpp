// The training report's pictures and page (train/report.hpp): what is the same for every network.
#include "typenet/train/report.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iomanip>
#include <locale>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "typenet/io/atomic_file.hpp"
#include "typenet/io/png.hpp"
#include "typenet/train/plot.hpp"

namespace typenet::detail {

namespace {

using layout = report_layout;

std::string fixed(double v, int digits) {
  std::ostringstream text;
  text.imbue(std::locale::classic());
  text << std::fixed << std::setprecision(digits) << v;
  return text.str();
}

using Rgb = std::array<std::uint8_t, 3>;

// A fraction in [0, 1] as a colour from near-white to dark blue: matplotlib's "Blues" colour
// map (ColorBrewer), interpolated linearly between five of its points.
Rgb blues(double fraction) {
  static constexpr std::array<Rgb, 5> points{
      {{247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}}};
  const double at = std::clamp(fraction, 0.0, 1.0) * double(points.size() - 1);
  const auto k = std::min(std::size_t(at), points.size() - 2);
  const double t = at - double(k);
  Rgb out{};
  for (std::size_t c = 0; c < 3; ++c)
    out[c] = std::uint8_t(std::lround((1 - t) * points[k][c] + t * points[k + 1][c]));
  return out;
}

std::string css(const Rgb& colour) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", colour[0], colour[1], colour[2]);
  return text;
}

// The share of row `t` in cell (t, p); 0 for a class without samples.
double share(const Evaluation& e, std::size_t t, std::size_t p) {
  std::size_t row = 0;
  for (const std::size_t n : e.confusion[t]) row += n;
  return row == 0 ? 0.0 : double(e.confusion[t][p]) / double(row);
}

io::Pixels heat_map(const Evaluation& e) {
  const std::size_t classes = e.confusion.size(), cell = layout::confusion_cell;
  io::Pixels out{classes * cell, classes * cell, 3,
                 std::vector<std::uint8_t>(classes * cell * classes * cell * 3)};
  for (std::size_t y = 0; y < out.height; ++y)
    for (std::size_t x = 0; x < out.width; ++x) {
      // A white line at each square's right and bottom edge keeps equal neighbours apart.
      const bool edge = y % cell == cell - 1 || x % cell == cell - 1;
      const Rgb colour = edge ? Rgb{255, 255, 255} : blues(share(e, y / cell, x / cell));
      std::copy(colour.begin(), colour.end(), out.at(y, x));
    }
  return out;
}

// `count` images of `size` values each, as tiles on one shared scale (their minimum to maximum),
// so that a brighter or fainter augmentation stays visible as such.
std::vector<io::Pixels> tiles(const std::vector<float>& values, const ReportContent& c) {
  const std::size_t size = c.channels * c.height * c.width;
  std::vector<io::Pixels> out;
  if (values.empty() || size == 0) return out;
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  const float top = *high > *low ? *high : *low + 1;
  for (std::size_t begin = 0; begin + size <= values.size(); begin += size) {
    data::Image image{c.channels, c.height, c.width,
                      std::vector<float>(values.begin() + std::ptrdiff_t(begin),
                                         values.begin() + std::ptrdiff_t(begin + size))};
    out.push_back(io::to_pixels(image, *low, top));
  }
  return out;
}

// filters.png, or nothing for a network without Conv2D. Sets `columns` and `tile` (pixels).
std::optional<io::Pixels> filter_grid(const ReportContent& c, std::size_t& columns,
                                      std::size_t& shown) {
  if (c.filter_shape.size() != 4) return std::nullopt;
  const std::size_t out = c.filter_shape[0], in = c.filter_shape[1], kh = c.filter_shape[2],
                    kw = c.filter_shape[3];
  const bool rgb = in == 3;
  const std::size_t per_filter = rgb ? 1 : std::min(in, layout::max_filter_channels);
  shown = std::min(out, layout::max_filters);
  std::vector<io::Pixels> drawn;
  for (std::size_t f = 0; f < shown; ++f) {
    const auto first = c.filters.begin() + std::ptrdiff_t(f * in * kh * kw);
    const auto [low, high] = std::minmax_element(first, first + std::ptrdiff_t(in * kh * kw));
    const double range = *high - *low;
    for (std::size_t k = 0; k < per_filter; ++k) {
      data::Image image{rgb ? 3u : 1u, kh, kw, {}};
      for (std::size_t ch = 0; ch < image.channels; ++ch)
        for (std::size_t p = 0; p < kh * kw; ++p) {
          const double v = *(first + std::ptrdiff_t(((rgb ? ch : k) * kh * kw) + p));
          image.pixels.push_back(range > 0 ? float((v - *low) / range) : 0.5f);
        }
      drawn.push_back(io::to_pixels(image));
    }
  }
  columns = per_filter == 1 ? std::min(shown, layout::columns) : per_filter;
  const std::size_t zoom = std::max<std::size_t>(1, layout::filter_side / std::max(kh, kw));
  return io::tile_grid(drawn, columns, zoom, layout::filter_gap, 255);
}

constexpr const char* style =
    R"(body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}
h2{margin-top:32px;border-bottom:1px solid #ccc}
.row{display:flex;gap:32px;align-items:flex-start;flex-wrap:wrap}
table.confusion{border-collapse:collapse;font-size:13px}
table.confusion td,table.confusion th{padding:3px 6px;text-align:right}
table.confusion th.pred{writing-mode:vertical-rl;transform:rotate(180deg);text-align:left}
td.c{min-width:30px}
.grid{display:flex;flex-wrap:wrap;gap:10px}
figure{margin:0;font-size:12px;text-align:center}
.tile{margin:0 auto 3px}
img.pixels{image-rendering:pixelated}
pre{background:#f6f6f6;padding:8px;font-size:12px;overflow-x:auto}
)";

void confusion_table(std::ostringstream& html, const ReportContent& c,
                     const std::vector<std::string>& names) {
  const Evaluation& e = c.evaluation;
  const std::size_t classes = e.confusion.size();
  html << "<table class=\"confusion\"><tr><th>true \\ predicted</th>";
  for (std::size_t p = 0; p < classes; ++p)
    html << "<th class=\"pred\">" << plot::xml_escaped(names[p]) << "</th>";
  html << "<th>recall</th><th>precision</th></tr>\n";
  for (std::size_t t = 0; t < classes; ++t) {
    html << "<tr><th>" << plot::xml_escaped(names[t]) << "</th>";
    for (std::size_t p = 0; p < classes; ++p) {
      const double s = share(e, t, p);
      html << "<td class=\"c\" style=\"background:" << css(blues(s))
           << (s > 0.5 ? ";color:#fff" : "") << (t == p ? ";font-weight:bold" : "") << "\">"
           << e.confusion[t][p] << "</td>";
    }
    html << "<td>" << fixed(100 * e.recall[t], 1) << "%</td><td>" << fixed(100 * e.precision[t], 1)
         << "%</td></tr>\n";
  }
  html << "</table>\n";
}

}  // namespace

void prepare_report_folder(const std::filesystem::path& folder) {
  const auto fail = [&](const std::string& reason) {
    throw std::runtime_error("training report: cannot write to " + folder.string() + ": " + reason);
  };
  if (folder.empty()) fail("the folder's name is empty");
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) fail(error.message());
  if (!std::filesystem::is_directory(folder, error)) fail("not a directory");
  // A file made and removed: permissions, a read-only file system, a full quota show up now,
  // before a training whose report would be lost.
  const auto probe = folder / (".typenet-report-probe." + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) fail(std::strerror(errno));
  ::close(fd);
  ::unlink(probe.c_str());
  // A directory (or a device) in the place of one of the report's files: found now as well, not
  // when the report is written after the training.
  for (const char* name : report_file_names) {
    try {
      io::check_writable(folder / name);
    } catch (const std::runtime_error& error) {
      fail(error.what());
    }
  }
}

void write_report_files(const std::filesystem::path& folder, const ReportContent& c) {
  const Evaluation& e = c.evaluation;
  const std::size_t classes = e.confusion.size();
  std::vector<std::string> names = c.class_names;
  names.resize(std::max(names.size(), classes));
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k].empty()) names[k] = std::to_string(k);

  c.history.write_csv(folder / "history.csv");
  plot::write_curves(folder / "curves.svg", c.history, c.title);
  io::write_png(folder / "confusion.png", heat_map(e));

  std::ostringstream html;
  html.imbue(std::locale::classic());
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
       << plot::xml_escaped(c.title) << "</title>\n<style>" << style
       << "</style></head><body>\n<h1>" << plot::xml_escaped(c.title) << "</h1>\n<p>Evaluated on "
       << (c.data_name.empty() ? "" : plot::xml_escaped(c.data_name) + " (") << e.samples
       << " samples" << (c.data_name.empty() ? "" : ")") << ": accuracy <b>"
       << fixed(100 * e.accuracy, 2) << "%</b>, loss " << fixed(e.loss, 4);
  if (!std::isnan(e.top5_accuracy))
    html << ", top-5 accuracy " << fixed(100 * e.top5_accuracy, 2) << "%";
  html << ". " << c.history.epochs.size() << " epoch(s)";
  if (!c.history.epochs.empty()) {
    const auto& last = c.history.epochs.back();
    html << "; the last: training accuracy " << fixed(100 * last.train_accuracy, 2) << "%";
    if (!std::isnan(last.validation_accuracy))
      html << ", validation accuracy " << fixed(100 * last.validation_accuracy, 2) << "%";
    html << "; best epoch " << c.history.best_epoch
         << (c.history.stopped_early ? " (stopped early)" : "");
  }
  html << ". Per epoch: <a href=\"history.csv\">history.csv</a>.</p>\n"
       << "<h2 id=\"curves\">Loss and accuracy</h2>\n<img src=\"curves.svg\" alt=\"loss and "
          "accuracy per "
          "epoch\">\n"
       << "<h2 id=\"confusion\">Confusion matrix</h2>\n<p>Rows: the true class; columns: the "
          "predicted one. "
          "Colour: the share of the row's samples (the recall on the diagonal).</p>\n"
       << "<div class=\"row\"><img class=\"pixels\" src=\"confusion.png\" width=\""
       << classes * layout::confusion_cell << "\" alt=\"confusion matrix heat map\">\n";
  confusion_table(html, c, names);
  html << "</div>\n";

  const bool images = c.height > 1 && c.width > 1;
  html << "<h2 id=\"misclassified\">Misclassified samples</h2>\n";
  const auto wrong = images ? tiles(c.wrong_images, c) : std::vector<io::Pixels>{};
  std::error_code ignored;  // a picture an earlier report left that this one has not
  if (wrong.empty()) std::filesystem::remove(folder / "misclassified.png", ignored);
  if (!images) {
    html << "<p>The samples are not images (" << c.channels << " x " << c.height << " x " << c.width
         << "): no pictures of them.</p>\n";
  } else if (wrong.empty()) {
    html << "<p>None: every sample was classified correctly.</p>\n";
  } else {
    const auto grid = io::tile_grid(wrong, layout::columns, layout::zoom, layout::gap, 255);
    io::write_png(folder / "misclassified.png", grid);
    const std::size_t tile_w = c.width * layout::zoom, tile_h = c.height * layout::zoom;
    html << "<p>The first " << wrong.size() << " in the evaluated set's order (sample number, true "
         << "class, predicted class; all on one grey scale): "
         << "<a href=\"misclassified.png\">misclassified.png</a>.</p>\n<div class=\"grid\">\n";
    for (std::size_t i = 0; i < wrong.size(); ++i) {
      const std::size_t x = (i % layout::columns) * (tile_w + layout::gap),
                        y = (i / layout::columns) * (tile_h + layout::gap);
      html << "<figure style=\"width:" << std::max<std::size_t>(120, tile_w)
           << "px\"><div class=\"tile\" style=\"width:" << tile_w << "px;height:" << tile_h
           << "px;background:url(misclassified.png) -" << x << "px -" << y << "px\"></div>#"
           << c.wrong_index[i] << "<br>true: " << plot::xml_escaped(names[c.wrong_true[i]])
           << "<br><b>predicted: " << plot::xml_escaped(names[c.wrong_predicted[i]])
           << "</b></figure>\n";
    }
    html << "</div>\n";
  }

  html << "<h2 id=\"filters\">First convolution's filters</h2>\n";
  std::size_t columns = 0, shown = 0;
  if (const auto filters = filter_grid(c, columns, shown)) {
    io::write_png(folder / "filters.png", *filters);
    const auto& s = c.filter_shape;
    html << "<p><code>" << plot::xml_escaped(c.filter_name) << "</code>: " << s[0] << " filters of "
         << s[1] << " x " << s[2] << " x " << s[3]
         << (shown < s[0] ? ", the first " + std::to_string(shown) + " shown" : "")
         << "; each scaled from its own minimum (black) to its maximum (white)"
         << (s[1] == 3  ? ", in colour"
             : s[1] > 1 ? ", one row per filter, one column per input channel"
                        : "")
         << ".</p>\n<img class=\"pixels\" src=\"filters.png\" alt=\"first convolution's "
            "filters\">\n";
  } else {
    std::filesystem::remove(folder / "filters.png", ignored);
    html << "<p>The network has no Conv2D layer: no filters to show.</p>\n";
  }

  html << "<h2 id=\"inputs\">Training inputs</h2>\n";
  const auto inputs = images ? tiles(c.input_images, c) : std::vector<io::Pixels>{};
  if (inputs.empty()) {
    std::filesystem::remove(folder / "inputs.png", ignored);
    html << "<p>No training images to show" << (images ? "" : " (the samples are not images)")
         << ".</p>\n";
  } else {
    io::write_png(folder / "inputs.png",
                  io::tile_grid(inputs, c.input_columns, layout::zoom, layout::gap, 255));
    html << "<p>As the network receives them (after normalisation; all on one grey scale): "
         << (c.augmented
                 ? "each row one training image, then " + std::to_string(c.input_columns - 1) +
                       " draws of the training augmentation."
                 : "the first training images. Training used no augmentation.")
         << "</p>\n<img class=\"pixels\" src=\"inputs.png\" alt=\"training inputs\">\n";
  }
  html << "<h2 id=\"network\">Network</h2>\n<pre>" << plot::xml_escaped(c.network)
       << "</pre>\n</body></html>\n";
  io::write_atomically(folder / "index.html", html.str());  // last: the page refers to the rest
}

}  // namespace typenet::detail
