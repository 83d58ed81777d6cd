// The training report: a folder a browser opens (index.html, static: no server, no script)
// with what the lectures tell us to look at after a run. fit writes it with .report; or
//
//   tn::write_report("run", model, history, test,
//                    {.class_names = {"T-shirt/top", ...}, .title = "LeNet-5"});
//
// The folder then holds
//   index.html         the page, tying the rest together; written last, atomically
//   history.csv        History::write_csv
//   curves.svg         loss and accuracy per epoch, training and validation (plot::write_curves)
//   confusion.png      the confusion matrix on `data` as a heat map: classes x classes squares of
//                      report_layout::confusion_cell pixels, each row coloured by its share of
//                      the row's samples (the recall at the diagonal); the page has the counts
//                      as a table named by class
//   misclassified.png  the first report_layout::misclassified (or options.misclassified) wrong
//                      predictions on `data`, in dataset order, in rows of 8; the page captions
//                      each with its true and predicted class
//   filters.png        the first Conv2D's filters (the state_dict walk, io/weights.hpp), each
//                      scaled from its own minimum and maximum to black and white; none, and a
//                      sentence saying so, for a network without Conv2D
//   inputs.png         training images as the network receives them: each row one image, then
//                      `draws` passes through the augmentation (or more images without one)
// A dataset whose samples are not images (height 1) gets no picture of its samples.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "typenet/data/dataset.hpp"
#include "typenet/graph/summary.hpp"
#include "typenet/io/weights.hpp"
#include "typenet/train/evaluate.hpp"
#include "typenet/train/history.hpp"
#include "typenet/train/model.hpp"

namespace typenet {

struct ReportOptions {
  // fit only: the folder, created if needed (empty: no report). fit checks it before training.
  std::filesystem::path folder{};
  // fit only: the set evaluated for the confusion matrix and the misclassified images (the test
  // set, say); by default fit's validation set, or its training set without one.
  std::optional<std::reference_wrapper<const data::Dataset>> data{};
  // Where inputs.png takes its images and how it augments them; fit sets both from its own
  // training set and augmentation. Without a training set, the evaluated set's images.
  std::optional<std::reference_wrapper<const data::Dataset>> training{};
  Augmentation augment{};
  std::string data_name{};  // what `data` is, for the page ("the test set"); fit names its default
  std::vector<std::string> class_names{};  // by class index; missing ones are shown as numbers
  std::string title = "Training report";
  std::size_t misclassified = 32;      // at most this many misclassified images
  std::size_t samples = 6, draws = 7;  // inputs.png: rows, and augmented copies per row
  std::uint64_t seed = 1;              // of the augmentation's draws
};

// The pictures' geometry (the tests recompute the files' sizes from it).
struct report_layout {
  static constexpr std::size_t confusion_cell = 24;  // pixels per confusion-matrix square
  static constexpr std::size_t zoom = 2;             // data images: each pixel 2 x 2
  static constexpr std::size_t gap = 2;              // pixels between tiles
  static constexpr std::size_t columns = 8;          // misclassified.png, and filters.png of
                                                     // one tile per filter
  static constexpr std::size_t filter_side = 60;     // a filter is zoomed to about this,
  static constexpr std::size_t filter_gap = 6;       // white between filters
  static constexpr std::size_t max_filters = 64, max_filter_channels = 16;
};

// The report's files in `folder` (the list at the top of this header): a program that writes
// files of its own beside them (the examples' model.safetensors, a checkpoint) checks against it.
inline constexpr const char* report_file_names[] = {
    "history.csv", "curves.svg", "confusion.png", "misclassified.png",
    "filters.png", "inputs.png", "index.html"};

namespace detail {

// What the page shows, gathered by write_report; drawn and written by write_report_files.
struct ReportContent {
  std::string title, data_name, network;  // network: tn::summary's table
  History history;
  Evaluation evaluation;
  std::vector<std::string> class_names;  // one per class (write_report_files fills the gaps)
  std::size_t channels = 0, height = 0, width = 0;  // of a sample
  std::vector<float> wrong_images;                  // misclassified samples, one after another
  std::vector<std::size_t> wrong_index, wrong_true, wrong_predicted;
  std::vector<float> input_images;  // inputs.png's tiles, row after row
  std::size_t input_columns = 0;
  bool augmented = false;
  std::string filter_name;                // the first Conv2D weight's state_dict name, or ""
  std::vector<std::size_t> filter_shape;  // out, in / groups, kh, kw
  std::vector<double> filters;            // its values
};

// Creates `folder` (and its parents) and checks a file can be made in it; throws
// std::runtime_error "training report: cannot write to <folder>: <reason>" otherwise.
void prepare_report_folder(const std::filesystem::path& folder);
// Writes the files listed at the top of this header, index.html last; each atomically
// (io::write_atomically). Throws std::runtime_error naming the file that cannot be written.
void write_report_files(const std::filesystem::path& folder, const ReportContent& content);

// The first Conv2D's weight, in the order of the state_dict walk (nested networks included).
template <class Net, class T>
void first_conv2d(Model<Net, T>& model, ReportContent& content) {
  for (const auto& entry : io::detail::entries_of(model.network())) {
    if (!entry.conv2d_weight) continue;
    std::size_t count = 1;
    for (const std::size_t d : entry.shape) count *= d;
    content.filter_name = entry.name;
    content.filter_shape = entry.shape;
    content.filters.resize(count);
    for (std::size_t i = 0; i < count; ++i)
      content.filters[i] = entry.f32 != nullptr ? double(entry.f32[i]) : entry.f64[i];
    return;
  }
}

}  // namespace detail

// Writes the report of a trained `model` into `folder` (see the top of this header): evaluated
// on `data` with `loss` (evaluate's checks and errors), its history's curves, the first Conv2D's
// filters, and training inputs as options.training/augment say; options.folder and .data are
// fit's and ignored here. Throws std::runtime_error naming the folder or a file that cannot be
// written (a half-written report has no index.html: it is written last); the model is unchanged.
template <class Net, class T, class Loss = loss::SoftmaxCrossEntropy>
requires(Net::ok) void write_report(const std::filesystem::path& folder, Model<Net, T>& model,
                                    const History& history, const data::Dataset& data,
                                    const ReportOptions& options = {}, Loss loss = {}) {
  detail::prepare_report_folder(folder);
  detail::ReportContent content;
  content.evaluation = evaluate(model, data, loss);
  content.title = options.title;
  content.data_name = options.data_name;
  content.history = history;
  std::ostringstream network;
  network << summary<Net>();
  content.network = network.str();
  content.class_names = options.class_names;
  content.channels = data.channels;
  content.height = data.height;
  content.width = data.width;
  const std::size_t size = data.sample_size();
  // The misclassified samples, in order: predictions batch by batch until there are enough.
  using In = typename Net::input_type;
  Tensor<T, In> x(model.capacity());
  std::vector<int> labels;
  labels.reserve(model.capacity());
  std::vector<std::size_t> indices;
  for (std::size_t begin = 0;
       begin < data.size() && content.wrong_index.size() < options.misclassified;
       begin += model.capacity()) {
    indices.clear();
    for (std::size_t i = begin; i < std::min(data.size(), begin + model.capacity()); ++i)
      indices.push_back(i);
    detail::gather(data, indices, x, labels, nullptr, nullptr);
    const auto& y = model.predict(x);
    for (std::size_t n = 0; n < indices.size(); ++n) {
      const std::size_t predicted = detail::argmax(y, n);
      if (predicted == std::size_t(labels[n]) ||
          content.wrong_index.size() >= options.misclassified)
        continue;
      content.wrong_index.push_back(indices[n]);
      content.wrong_true.push_back(std::size_t(labels[n]));
      content.wrong_predicted.push_back(predicted);
      const auto image = data.image(indices[n]);
      content.wrong_images.insert(content.wrong_images.end(), image.begin(), image.end());
    }
  }
  // Training inputs: each image as stored, then through the augmentation `draws` times.
  const data::Dataset& training = options.training ? options.training->get() : data;
  content.augmented = bool(options.augment);
  content.input_columns = options.draws + 1;
  const std::size_t rows =
      content.augmented ? std::min(options.samples, training.size())
                        : std::min(options.samples * content.input_columns, training.size()) /
                              content.input_columns;
  if (training.sample_size() == size && rows > 0) {
    std::mt19937_64 rng(options.seed);
    std::vector<float> image(size);
    for (std::size_t r = 0; r < rows * (content.augmented ? 1 : content.input_columns); ++r) {
      const auto stored = training.image(r);
      content.input_images.insert(content.input_images.end(), stored.begin(), stored.end());
      for (std::size_t d = 0; content.augmented && d < options.draws; ++d) {
        std::copy(stored.begin(), stored.end(), image.begin());
        options.augment(std::span(image), rng);
        content.input_images.insert(content.input_images.end(), image.begin(), image.end());
      }
    }
  }
  detail::first_conv2d(model, content);
  detail::write_report_files(folder, content);
}

}  // namespace typenet
