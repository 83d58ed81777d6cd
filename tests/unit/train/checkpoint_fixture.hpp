// Shared by the checkpoint tests: a network with every kind of state a resume must restore
// (BatchNorm's running statistics, Dropout's generator), a dataset, fit's options with an
// augmentation, and bitwise comparisons.
#pragma once

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <random>
#include <ratio>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

namespace checkpoint_fixture {

namespace tn = typenet;
namespace fs = std::filesystem;

using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::BatchNorm,
                           tn::ReLU, tn::Flatten, tn::Dropout<std::ratio<1, 4>>, tn::Dense<3>>;

// The class is which third of the image is brightest; noise makes every epoch's loss differ.
inline tn::data::Dataset dataset(std::size_t count, std::uint64_t seed) {
  tn::data::Dataset d;
  d.channels = 1;
  d.height = d.width = 8;
  d.classes = 3;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  for (std::size_t i = 0; i < count; ++i) {
    const int label = int(rng() % 3);
    for (std::size_t k = 0; k < 64; ++k)
      d.images.push_back(u(rng) + ((k % 8) / 3 == std::size_t(label) ? 1.0f : 0.0f));
    d.labels.push_back(label);
  }
  return d;
}

struct Data {
  tn::data::Dataset train = dataset(100, 1), validation = dataset(30, 2);
};

// Four epochs of batches of 16 (the last one partial), shuffled, augmented (a flip and noise,
// both drawing from fit's generator), validated, with a cosine schedule.
inline tn::FitOptions options(const Data& data) {
  namespace aug = tn::data::augment;
  return {.epochs = 4,
          .batch = 16,
          .validation = std::cref(data.validation),
          .schedule = tn::schedule::Cosine{},
          .augment = aug::chain(aug::HorizontalFlip{0.5, 1, 8, 8}, aug::GaussianNoise{0.05}),
          .seed = 11,
          .quiet = true};
}

inline fs::path temp(const std::string& name) {
  return fs::temp_directory_path() /
         ("typenet-checkpoint-" + std::to_string(::getpid()) + "-" + name);
}

// Thrown by on_epoch: the run dies after the checkpoint of that epoch was written.
struct Killed {};

// Every parameter, running statistic and batch count, as bytes.
template <class Model>
std::vector<unsigned char> state_bytes(Model& model) {
  std::vector<unsigned char> bytes;
  const auto add = [&](const void* data, std::size_t size) {
    const auto* b = static_cast<const unsigned char*>(data);
    bytes.insert(bytes.end(), b, b + size);
  };
  using T = typename Model::scalar;
  for (auto* p : model.all_parameters()) add(p->value.data(), p->size() * sizeof(T));
  for (auto* b : model.network().state_buffers()) add(b->data(), b->size() * sizeof(T));
  const auto count = model.network().template layer<1>().num_batches_tracked();
  add(&count, sizeof count);
  return bytes;
}

// The history's training results (not its timings), as bytes.
inline std::vector<unsigned char> history_bytes(const tn::History& history) {
  std::vector<unsigned char> bytes;
  for (const auto& r : history.epochs) {
    const double values[] = {double(r.epoch),   r.train_loss,          r.train_accuracy,
                             r.validation_loss, r.validation_accuracy, r.learning_rate};
    const auto* b = reinterpret_cast<const unsigned char*>(values);
    bytes.insert(bytes.end(), b, b + sizeof values);
  }
  bytes.push_back(static_cast<unsigned char>(history.best_epoch));
  bytes.push_back(history.stopped_early);
  return bytes;
}

}  // namespace checkpoint_fixture
