// Segmentation metrics from the confusion matrix over pixels, their report, the input check.
#include "typenet/train/segmentation.hpp"

#include <cctype>
#include <iomanip>
#include <sstream>

namespace typenet {

namespace detail {
std::string name_training_image(const std::string& message, std::span<const std::size_t> batch,
                                bool augmented) {
  const std::string key = "sample ";
  const std::size_t at = message.find(key);
  if (at == std::string::npos) return message;
  std::size_t end = at + key.size(), n = 0;
  while (end < message.size() && std::isdigit(static_cast<unsigned char>(message[end])) &&
         n < batch.size())
    n = n * 10 + std::size_t(message[end++] - '0');
  if (end == at + key.size() || n >= batch.size()) return message;
  return message.substr(0, end) + " (training image " + std::to_string(batch[n]) +
         (augmented ? ", after augmentation" : "") + ")" + message.substr(end);
}
}  // namespace detail

SegmentationEvaluation segmentation_metrics(std::vector<std::vector<std::uint64_t>> confusion) {
  const std::size_t classes = confusion.size();
  std::uint64_t total = 0, correct = 0;
  for (std::size_t t = 0; t < classes; ++t) {
    if (confusion[t].size() != classes)
      throw std::invalid_argument("segmentation_metrics: row " + std::to_string(t) + " has " +
                                  std::to_string(confusion[t].size()) + " entries, not " +
                                  std::to_string(classes) + " (the matrix must be square)");
    for (auto count : confusion[t]) total += count;
    correct += confusion[t][t];
  }
  if (total == 0)
    throw std::invalid_argument("segmentation_metrics: the confusion matrix counts no pixel");
  SegmentationEvaluation e;
  e.pixel_accuracy = double(correct) / double(total);
  e.iou.assign(classes, std::nan(""));
  e.dice.assign(classes, std::nan(""));
  double iou_sum = 0, dice_sum = 0;
  std::size_t present = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    std::uint64_t predicted = 0, actual = 0;
    for (std::size_t k = 0; k < classes; ++k) {
      predicted += confusion[k][c];
      actual += confusion[c][k];
    }
    const double tp = double(confusion[c][c]);
    const double fp = double(predicted) - tp, fn = double(actual) - tp;
    if (predicted + actual == 0) continue;  // in neither: NaN, outside the means
    e.iou[c] = tp / (tp + fp + fn);
    e.dice[c] = 2 * tp / (2 * tp + fp + fn);
    iou_sum += e.iou[c];
    dice_sum += e.dice[c];
    ++present;
  }
  e.mean_iou = iou_sum / double(present);
  e.mean_dice = dice_sum / double(present);
  e.confusion = std::move(confusion);
  return e;
}

std::ostream& operator<<(std::ostream& out, const SegmentationEvaluation& e) {
  const auto flags = out.flags();
  const auto precision = out.precision();
  out << std::fixed << std::setprecision(4) << "loss " << e.loss << std::setprecision(2)
      << "  pixel accuracy " << 100 * e.pixel_accuracy << "%  mean IoU " << 100 * e.mean_iou
      << "%  mean Dice " << 100 * e.mean_dice << "%  (" << e.samples << " samples)\n";
  out << "class    IoU     Dice   pixels (true)\n";
  for (std::size_t c = 0; c < e.iou.size(); ++c) {
    std::uint64_t actual = 0;
    for (auto count : e.confusion[c]) actual += count;
    out << std::setw(5) << c << std::setw(7) << 100 * e.iou[c] << "%" << std::setw(7)
        << 100 * e.dice[c] << "%" << std::setw(10) << actual << "\n";
  }
  out.flags(flags);
  out.precision(precision);
  return out;
}

namespace detail {

void check_segmentation_input(const data::SegmentationDataset& data,
                              std::span<const std::size_t> input, std::size_t channels,
                              std::size_t height, std::size_t width, const char* where) {
  const auto mismatch = [&](const std::string& what) {
    throw std::invalid_argument(std::string(where) + ": " + what);
  };
  data.check(where);
  if (data.size() == 0) mismatch("the dataset is empty");
  if (input.size() != 3 || data.channels != input[0] || data.height != input[1] ||
      data.width != input[2]) {
    std::ostringstream text;
    text << "the dataset's images are " << data.channels << "x" << data.height << "x" << data.width
         << " but the network takes ";
    for (std::size_t i = 0; i < input.size(); ++i) text << (i ? "x" : "") << input[i];
    mismatch(text.str());
  }
  if (data.height != height || data.width != width)
    mismatch("the masks are " + std::to_string(data.height) + "x" + std::to_string(data.width) +
             " but the network's output is " + std::to_string(channels) + "x" +
             std::to_string(height) + "x" + std::to_string(width) +
             " (a mask needs the output's height and width: pad the convolutions)");
  const std::size_t outputs = channels == 1 ? 2 : channels;
  if (data.classes > outputs)
    mismatch("the dataset has " + std::to_string(data.classes) + " classes but the network's " +
             std::to_string(channels) + " output channel(s) predict " + std::to_string(outputs) +
             (channels == 1 ? " (a 1-channel output is a binary mask: classes 0 and 1)" : ""));
  const auto bad = std::find_if(data.images.begin(), data.images.end(),
                                [](float v) { return !std::isfinite(v); });
  if (bad != data.images.end())
    throw data::DataError(
        std::string(where) + ": sample " +
        std::to_string(std::size_t(bad - data.images.begin()) / data.sample_size()) + " holds " +
        (std::isnan(*bad) ? "NaN" : "infinity"));
}

}  // namespace detail
}  // namespace typenet
