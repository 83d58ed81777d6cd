// fit and evaluate for segmentation: a network whose output is C x H x W class scores per pixel
// (or a 1 x H x W logit map for a binary mask), trained on a data::SegmentationDataset.
//
//   auto history = tn::fit(model, opt, tn::loss::SoftmaxCrossEntropy{}, train,
//                          tn::SegmentationFitOptions{.epochs = 5, .batch = 16});
//   tn::SegmentationEvaluation e = tn::evaluate(model, test);  // mean IoU, pixel accuracy, ...
//
// The prediction of a pixel is the class of its highest score (C >= 2), or class 1 where the
// logit is > 0 (C = 1, classes {0, 1}). With a 1-channel output the mask becomes the float target
// the binary losses take (BinaryCrossEntropyWithLogits, Dice); otherwise the loss gets a
// tn::ClassMask<H, W>. The metrics are computed from the confusion matrix over pixels
// (src/train/segmentation.cpp).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <numeric>
#include <optional>
#include <ostream>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "typenet/data/segmentation.hpp"
#include "typenet/loss/segmentation.hpp"
#include "typenet/train/fit.hpp"

namespace typenet {

// Metrics over every pixel of a dataset (as mmsegmentation and torchmetrics define them):
// IoU_c = TP / (TP + FP + FN), Dice_c = 2 TP / (2 TP + FP + FN) from the confusion matrix; a
// class in neither the truth nor the prediction has NaN and is left out of the means.
struct SegmentationEvaluation {
  double loss = 0;
  double pixel_accuracy = 0;                          // correct pixels / all pixels
  double mean_iou = 0, mean_dice = 0;                 // over the classes that are not NaN
  std::vector<double> iou, dice;                      // per class
  std::vector<std::vector<std::uint64_t>> confusion;  // [true class][predicted class], pixels
  std::size_t samples = 0;
};
std::ostream& operator<<(std::ostream& out, const SegmentationEvaluation& e);

// The metrics of a confusion matrix (square, [true][predicted] pixel counts); loss and samples
// are left 0. Throws std::invalid_argument for a matrix that is not square or counts no pixel.
SegmentationEvaluation segmentation_metrics(std::vector<std::vector<std::uint64_t>> confusion);

// An augmentation of an image and its mask together (data/augment.hpp's, called with a mask).
using SegmentationAugmentation =
    std::function<void(std::span<float>, std::span<int>, std::mt19937_64&)>;

struct SegmentationFitOptions {
  std::size_t epochs = 10;
  std::size_t batch = 16;
  bool shuffle = true;
  std::optional<std::reference_wrapper<const data::SegmentationDataset>> validation{};
  schedule::Schedule schedule{};  // the learning rate per epoch, times the optimiser's
  SegmentationAugmentation augment{};
  std::uint64_t seed = 1;            // shuffling and augmentation
  std::ostream* progress = nullptr;  // nullptr: std::cout
  bool quiet = false;
  std::function<void(const EpochRecord&)> on_epoch{};  // accuracies are pixel accuracies
};

namespace detail {
template <class Out>
inline constexpr bool per_pixel_output = Out::rank == 3;

// Throws std::invalid_argument naming `where` unless the dataset is whole (DataError), not
// empty, of the network's input C x H x W, of masks of the output's H x W, and of no more
// classes than the output has channels (2 for a 1-channel output).
void check_segmentation_input(const data::SegmentationDataset& data,
                              std::span<const std::size_t> input, std::size_t channels,
                              std::size_t height, std::size_t width, const char* where);

// Batch `indices` of `data` into x and the labels (masks, and for a binary output the float
// target), augmented if `augment` is set.
template <bool Binary, class X, class Target>
void gather_masks(const data::SegmentationDataset& data, std::span<const std::size_t> indices, X& x,
                  std::vector<int>& masks, Target& target, const SegmentationAugmentation* augment,
                  std::mt19937_64* rng, std::vector<float>& scratch) {
  using T = typename X::scalar;
  const std::size_t size = data.sample_size(), pixels = data.pixels();
  x.set_batch(indices.size());
  target.set_batch(indices.size());
  masks.resize(indices.size() * pixels);
  scratch.resize(size);
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const auto image = data.image(indices[i]);
    std::copy(image.begin(), image.end(), scratch.begin());
    const std::span<int> mask(masks.data() + i * pixels, pixels);
    std::copy(data.mask(indices[i]).begin(), data.mask(indices[i]).end(), mask.begin());
    if (augment != nullptr && *augment) (*augment)(std::span(scratch), mask, *rng);
    for (std::size_t k = 0; k < size; ++k) x.sample(i)[k] = T(scratch[k]);
    if constexpr (!Binary) continue;  // class masks: no float target
    for (std::size_t k = 0; k < pixels; ++k) {
      // The binary losses take any float target and have no ignore_index: a -100 would train.
      if (mask[k] != 0 && mask[k] != 1)
        throw std::invalid_argument(
            "label " + std::to_string(mask[k]) + " of " +
            loss::detail::pixel_name(i, k, data.width) +
            " is not 0 or 1: a 1-channel output is a binary mask, and its losses have no "
            "ignore_index (an augmentation's mask_fill must be 0 or 1)");
      target.sample(i)[k] = T(mask[k]);
    }
  }
}

// The loss of a batch: against the masks, or for a 1-channel output against the float target.
template <class T, class Out, class Target, class Loss>
double segmentation_loss(const Loss& loss, const Tensor<T, Out>& y, const std::vector<int>& masks,
                         const Target& target, Tensor<T, Out>* dy = nullptr) {
  if constexpr (Out::dims[0] == 1)
    return loss::compute(loss, y, target, dy);
  else
    return loss::compute(loss, y, ClassMask<Out::dims[1], Out::dims[2]>{masks}, dy);
}

// The predicted class of each pixel counted into confusion[true][predicted]; returns how many
// were counted. A label outside the classes is the loss's ignore_index (an augmentation's
// mask_fill: the datasets hold only class indices) and is not counted.
template <class T, class Out>
std::size_t count_pixels(const Tensor<T, Out>& y, std::span<const int> masks,
                         std::vector<std::vector<std::uint64_t>>& confusion) {
  std::size_t counted = 0;
  constexpr std::size_t C = Out::dims[0], pixels = Out::dims[1] * Out::dims[2];
  for (std::size_t n = 0; n < y.batch(); ++n)
    for (std::size_t p = 0; p < pixels; ++p) {
      const T* score = y.sample(n) + p;
      std::size_t predicted = 0;
      if constexpr (C == 1) {
        predicted = score[0] > T(0) ? 1 : 0;
      } else {
        for (std::size_t c = 1; c < C; ++c)
          if (score[c * pixels] > score[predicted * pixels]) predicted = c;
      }
      const int label = masks[n * pixels + p];
      if (label < 0 || std::size_t(label) >= confusion.size()) continue;
      confusion[std::size_t(label)][predicted] += 1;
      ++counted;
    }
  return counted;
}

// A loss names a pixel by its place in the batch ("sample 3, pixel (1, 2)"); fit adds which
// training image that is (batch[3]) and whether an augmentation made its mask.
std::string name_training_image(const std::string& message, std::span<const std::size_t> batch,
                                bool augmented);

template <class Out>
constexpr std::size_t prediction_classes = Out::dims[0] == 1 ? 2 : Out::dims[0];
template <class Out>
using binary_target = std::conditional_t<Out::dims[0] == 1, Out, Shape<1>>;
// A 1-channel output is a binary mask: its loss must take a target of the output's shape.
template <class Loss, class Out>
concept fits_binary_masks = Out::dims[0] != 1 ||
                            requires(const Loss& loss, const Tensor<float, Out>& y) {
  loss::compute(loss, y, y);
};

template <class Net>
using default_segmentation_loss =
    std::conditional_t<Net::output_type::dims[0] == 1, loss::BinaryCrossEntropyWithLogits,
                       loss::SoftmaxCrossEntropy>;
}  // namespace detail

// The loss by default: softmax cross-entropy on masks, BCE with logits for a 1-channel output.
// Throws as fit's check_input does (naming the mismatch) and TrainingError for a non-finite
// loss.
template <class Net, class T, class Loss = detail::default_segmentation_loss<Net>>
requires(Net::ok) SegmentationEvaluation
    evaluate(Model<Net, T>& model, const data::SegmentationDataset& data, Loss loss = {}) {
  using In = typename Net::input_type;
  using Out = typename Net::output_type;
  static_assert(detail::per_pixel_output<Out>,
                "tn::evaluate(model, SegmentationDataset) requires a network whose output is "
                "C x H x W scores per pixel");
  static_assert(!detail::per_pixel_output<Out> || detail::fits_binary_masks<Loss, Out>,
                "tn::evaluate(model, SegmentationDataset, loss): a 1-channel output is a binary "
                "mask, trained against a 1 x H x W target by BinaryCrossEntropyWithLogits or "
                "Dice; SoftmaxCrossEntropy needs C >= 2 score maps (one per class)");
  if constexpr (detail::per_pixel_output<Out> && detail::fits_binary_masks<Loss, Out>) {
    constexpr std::size_t classes = detail::prediction_classes<Out>;
    detail::check_segmentation_input(data, In::dims, Out::dims[0], Out::dims[1], Out::dims[2],
                                     "evaluate");
    std::vector<std::vector<std::uint64_t>> confusion(classes,
                                                      std::vector<std::uint64_t>(classes, 0));
    const std::size_t batch = model.capacity();
    Tensor<T, In> x(batch);
    Tensor<T, detail::binary_target<Out>> target(batch);
    std::vector<int> masks;
    std::vector<float> scratch;
    std::vector<std::size_t> indices(data.size());
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    double total = 0;
    for (std::size_t begin = 0; begin < data.size(); begin += batch) {
      const auto chunk = std::span(indices).subspan(begin, std::min(batch, data.size() - begin));
      detail::gather_masks<Out::dims[0] == 1>(data, chunk, x, masks, target, nullptr, nullptr,
                                              scratch);
      const auto& y = model.predict(x);
      total += detail::segmentation_loss(loss, y, masks, target) * double(chunk.size());
      detail::count_pixels(y, masks, confusion);
    }
    auto e = segmentation_metrics(std::move(confusion));
    e.loss = total / double(data.size());
    e.samples = data.size();
    return e;
  } else {
    return {};
  }
}

template <class Net, class T, class Optimizer, class Loss>
requires(Net::ok) History
    fit(Model<Net, T>& model, Optimizer& optimizer, Loss loss,
        const data::SegmentationDataset& train, const SegmentationFitOptions& options = {}) {
  using In = typename Net::input_type;
  using Out = typename Net::output_type;
  static_assert(detail::per_pixel_output<Out>,
                "tn::fit(model, optimizer, loss, SegmentationDataset) requires a network whose "
                "output is C x H x W scores per pixel");
  static_assert(!detail::per_pixel_output<Out> || detail::fits_binary_masks<Loss, Out>,
                "tn::fit(model, optimizer, loss, SegmentationDataset): a 1-channel output is a "
                "binary mask, trained against a 1 x H x W target by BinaryCrossEntropyWithLogits "
                "or Dice; SoftmaxCrossEntropy needs C >= 2 score maps (one per class)");
  if constexpr (detail::per_pixel_output<Out> && detail::fits_binary_masks<Loss, Out>) {
    constexpr std::size_t classes = detail::prediction_classes<Out>;
    const auto check = [&](const data::SegmentationDataset& d, const char* where) {
      detail::check_segmentation_input(d, In::dims, Out::dims[0], Out::dims[1], Out::dims[2],
                                       where);
    };
    check(train, "fit (training set)");
    if (options.validation) check(options.validation->get(), "fit (validation set)");
    if (options.batch == 0 || options.batch > model.capacity())
      throw std::invalid_argument("fit: batch " + std::to_string(options.batch) +
                                  " must be between 1 and the model's capacity " +
                                  std::to_string(model.capacity()));
    const std::size_t steps = (train.size() + options.batch - 1) / options.batch;
    Tensor<T, In> x(options.batch);
    Tensor<T, detail::binary_target<Out>> target(options.batch);
    std::vector<int> masks;
    std::vector<float> scratch;
    std::vector<std::size_t> order(train.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::mt19937_64 rng(options.seed);
    detail::Progress progress(options.progress, options.quiet, options.epochs, steps);
    std::vector<std::vector<std::uint64_t>> confusion(classes, std::vector<std::uint64_t>(classes));
    History history;
    std::size_t global_step = 0;
    for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
      const auto start = std::chrono::steady_clock::now();
      if (options.shuffle) std::shuffle(order.begin(), order.end(), rng);
      EpochRecord record;
      record.epoch = epoch;
      record.learning_rate =
          options.schedule.rate(optimizer.learning_rate(), epoch - 1, options.epochs);
      double loss_sum = 0;
      std::size_t seen = 0, correct = 0, pixels = 0;
      for (std::size_t s = 0; s < steps; ++s, ++global_step) {
        const auto chunk = std::span(order).subspan(
            s * options.batch, std::min(options.batch, train.size() - s * options.batch));
        double value;
        try {
          detail::gather_masks<Out::dims[0] == 1>(train, chunk, x, masks, target, &options.augment,
                                                  &rng, scratch);
          if constexpr (Out::dims[0] == 1)
            value = model.train_step(x, target, loss, optimizer, record.learning_rate, global_step);
          else
            value = model.train_step(
                x, ClassMask<Out::dims[1], Out::dims[2]>{std::span<const int>(masks)}, loss,
                optimizer, record.learning_rate, global_step);
        } catch (const TrainingError& error) {
          throw FitError(error.cause(), std::move(history), epoch, s + 1, steps);
        } catch (const std::logic_error& error) {
          throw FitError(detail::name_training_image(error.what(), chunk, bool(options.augment)),
                         std::move(history), epoch, s + 1, steps);
        }
        for (auto& row : confusion) std::fill(row.begin(), row.end(), 0);
        pixels += detail::count_pixels(model.network().template output<Net::depth - 1>(), masks,
                                       confusion);
        for (std::size_t c = 0; c < classes; ++c) correct += confusion[c][c];
        loss_sum += value * double(chunk.size());
        seen += chunk.size();
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        progress.step(epoch, s + 1, loss_sum / double(seen), double(correct) / double(pixels), seen,
                      elapsed);
      }
      record.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      record.train_loss = loss_sum / double(seen);
      record.train_accuracy = double(correct) / double(pixels);
      record.images_per_second = double(seen) / record.seconds;
      record.validation_loss = record.validation_accuracy = std::nan("");
      if (options.validation) {
        const auto v = evaluate(model, options.validation->get(), loss);
        record.validation_loss = v.loss;
        record.validation_accuracy = v.pixel_accuracy;
      }
      history.epochs.push_back(record);
      history.best_epoch = epoch;
      progress.epoch_end(record);
      if (options.on_epoch) options.on_epoch(record);
    }
    return history;
  } else {
    return {};
  }
}

}  // namespace typenet
