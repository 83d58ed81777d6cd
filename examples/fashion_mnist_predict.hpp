// Predicting on image files with a network the Fashion-MNIST examples trained: the weights and
// the preprocessing of training (padding, normalisation), both read from the weight file.
//
//   FashionMnistPredictor<LeNet5> predictor("lenet-fashion-mnist/model.safetensors");
//   for (const auto& [label, probability] : predictor.predict("shirt.png"))
//     std::cout << fashion_mnist_classes[label] << " " << probability << "\n";
//
// An image file becomes the network's input as a test image of the dataset did: grey, resized
// (bilinear) to 28 x 28, padded with zeros, then normalised with the training set's statistics.
// Fashion-MNIST's images are light garments on black: a photo of a dark shirt on white is the
// other way round, and the network will not recognise it unless it is inverted first.
#pragma once

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <typenet/typenet.hpp>
#include <vector>

#include "arguments.hpp"

// The dataset's class names, by label (Xiao et al. 2017, "Fashion-MNIST", table 1).
inline constexpr std::array<std::string_view, 10> fashion_mnist_classes{
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

// What a prediction must repeat of training: the zeros added around each 28 x 28 image, then the
// training set's mean and standard deviation (of the padded images).
struct Preprocessing {
  typenet::data::Normalizer normalizer;
  std::size_t pad = 0;
};

// The weight file's metadata for it. Numbers are written in the shortest form that reads back
// to the same float (std::to_chars), so that a prediction normalises exactly as training did.
inline std::map<std::string, std::string> preprocessing_metadata(const Preprocessing& p) {
  auto text = [](float value) {
    std::array<char, 64> buffer{};
    const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
    return std::string(buffer.data(), end);
  };
  return {{"normalizer.mean", text(p.normalizer.mean.at(0))},
          {"normalizer.stddev", text(p.normalizer.stddev.at(0))},
          {"pad", std::to_string(p.pad)},
          {"dataset", "Fashion-MNIST"}};
}

// The preprocessing stored in a weight file by train_fashion_mnist. Throws std::runtime_error
// naming the file and the key when it is missing or not a number of the right kind.
inline Preprocessing read_preprocessing(const std::filesystem::path& path) {
  const auto file = typenet::io::Safetensors::read(path);
  const auto& metadata = file.metadata();
  auto field = [&](const std::string& key) -> const std::string& {
    const auto found = metadata.find(key);
    if (found == metadata.end())
      throw std::runtime_error(path.string() + ": its metadata has no '" + key +
                               "' (a weight file the training mode of this program wrote has it)");
    return found->second;
  };
  auto number = [&](const std::string& key, auto& value) {
    const std::string& text = field(key);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size())
      throw std::runtime_error(path.string() + ": metadata '" + key + "' is \"" + text +
                               "\", not a number");
  };
  Preprocessing p;
  float mean = 0, stddev = 0;
  number("normalizer.mean", mean);
  number("normalizer.stddev", stddev);
  number("pad", p.pad);
  if (!std::isfinite(mean) || !std::isfinite(stddev) || !(stddev > 0))
    throw std::runtime_error(path.string() + ": metadata normalizer.mean " +
                             field("normalizer.mean") + " and normalizer.stddev " +
                             field("normalizer.stddev") +
                             " are not a finite mean and a positive deviation");
  p.normalizer = {{mean}, {stddev}};
  return p;
}

// A class and its softmax probability.
struct ClassProbability {
  std::size_t label = 0;
  double probability = 0;
};

// The k most probable classes of one sample's scores (logits), most probable first; softmax in
// double, shifted by the largest score (PyTorch's torch.softmax, then torch.topk).
inline std::vector<ClassProbability> top_classes(std::span<const float> scores, std::size_t k) {
  const double largest = *std::max_element(scores.begin(), scores.end());
  std::vector<ClassProbability> all(scores.size());
  double sum = 0;
  for (std::size_t c = 0; c < scores.size(); ++c) {
    all[c] = {c, std::exp(double(scores[c]) - largest)};
    sum += all[c].probability;
  }
  for (auto& entry : all) entry.probability /= sum;
  k = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(k), all.end(),
                    [](const auto& a, const auto& b) {
                      return a.probability > b.probability ||
                             (a.probability == b.probability && a.label < b.label);
                    });
  all.resize(k);
  return all;
}

// The network's input as an image: C x H x W itself, a Steps x Features sequence as one channel
// of Steps rows of Features values (a grey image read row by row, as sequence_fashion_mnist
// reads Fashion-MNIST), the same values in the same order.
template <class In>
constexpr std::array<std::size_t, 3> input_as_image() {
  static_assert(In::rank == 2 || In::rank == 3,
                "FashionMnistPredictor needs a C x H x W or a Steps x Features input");
  if constexpr (In::rank == 2)
    return {1, In::dims[0], In::dims[1]};
  else
    return {In::dims[0], In::dims[1], In::dims[2]};
}

template <class Net>
class FashionMnistPredictor {
  using In = typename Net::input_type;
  static constexpr std::size_t batch = 64;
  static constexpr auto chw = input_as_image<In>();  // channels, height, width

 public:
  // Loads the weights (strictly: a file of another network is refused, io::WeightsError naming
  // both networks) and the preprocessing (std::runtime_error, see read_preprocessing).
  explicit FashionMnistPredictor(const std::filesystem::path& model)
      : model_{typenet::init::He{}, /*seed=*/1, batch} {
    typenet::load_weights(model_, model);
    preprocessing_ = read_preprocessing(model);
    const std::size_t side = std::min(chw[1], chw[2]);
    if (chw[0] != 1 || 2 * preprocessing_.pad >= side) {
      std::string input;
      for (std::size_t i = 0; i < In::rank; ++i)
        input += (i ? " x " : "") + std::to_string(In::dims[i]);
      throw std::runtime_error(model.string() + ": metadata pad " +
                               std::to_string(preprocessing_.pad) + " does not fit the input " +
                               input + (In::rank == 2 ? " (steps x features)" : ""));
    }
  }

  const Preprocessing& preprocessing() const { return preprocessing_; }

  // Images as the network's inputs: grey, the size before padding, padded, normalised; for a
  // sequence network 1 x Steps x Features, its rows the steps.
  typenet::data::Dataset inputs(const std::vector<typenet::data::Image>& images) const {
    const std::size_t pad = preprocessing_.pad;
    std::vector<typenet::data::Image> grey;
    for (const auto& image : images)
      grey.push_back(typenet::data::to_input(image, 1, chw[1] - 2 * pad, chw[2] - 2 * pad));
    auto data = typenet::data::to_dataset(grey, std::vector<int>(grey.size(), 0), 10);
    if (pad > 0) data = typenet::data::pad(data, pad);
    preprocessing_.normalizer.apply(data);
    return data;
  }

  // The k most probable classes of each sample of `inputs` (as inputs() makes them).
  std::vector<std::vector<ClassProbability>> predict(const typenet::data::Dataset& inputs,
                                                     std::size_t k = 3) {
    std::vector<std::vector<ClassProbability>> out;
    typenet::Tensor<float, In> x(batch);
    for (std::size_t begin = 0; begin < inputs.size(); begin += batch) {
      const std::size_t n = std::min(batch, inputs.size() - begin);
      x.set_batch(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto image = inputs.image(begin + i);
        std::copy(image.begin(), image.end(), x.sample(i));
      }
      const auto& y = model_.predict(x);
      constexpr std::size_t classes = Net::output_type::size;
      for (std::size_t i = 0; i < n; ++i) {
        std::array<float, classes> scores{};
        for (std::size_t c = 0; c < classes; ++c) scores[c] = y(i, c);
        out.push_back(top_classes(scores, k));
      }
    }
    return out;
  }

  // The k most probable classes of an image file. Throws data::DataError naming the file when
  // it is missing or not an image read_image reads.
  std::vector<ClassProbability> predict(const std::filesystem::path& image, std::size_t k = 3) {
    return predict(inputs({typenet::data::read_image(image)}), k).front();
  }

 private:
  typenet::Model<Net> model_;
  Preprocessing preprocessing_;
};
