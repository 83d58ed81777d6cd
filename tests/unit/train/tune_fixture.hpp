// A tiny real training for the search and cross-validation tests: three Gaussian blobs in the
// plane, a 2-8-3 ReLU network, SGD (a ReLU, unlike tanh, lets a huge learning rate overflow).
#pragma once

#include <cstdint>
#include <random>
#include <typenet/typenet.hpp>
#include <vector>

namespace tune_test {

namespace tn = typenet;

using Net = tn::Sequential<tn::Input<2>, tn::Dense<8>, tn::ReLU, tn::Dense<3>>;

// Class c around (2 cos(2 pi c / 3), 2 sin(2 pi c / 3)), standard deviation `spread`.
inline tn::data::Dataset blobs(std::size_t count, std::uint64_t seed, float spread = 0.8f) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> normal(0, spread);
  std::vector<float> images;
  std::vector<int> labels;
  for (std::size_t i = 0; i < count; ++i) {
    const int c = int(i % 3);
    const double angle = 2 * 3.14159265358979 * c / 3;
    images.push_back(float(2 * std::cos(angle)) + normal(rng));
    images.push_back(float(2 * std::sin(angle)) + normal(rng));
    labels.push_back(c);
  }
  return tn::data::Dataset::from_arrays(images, labels, 1, 1, 2, 3);
}

// Three epochs of SGD at p["lr"] (and p["weight_decay"] when the space has it), all randomness
// from p.seed.
inline tn::History train_blobs(const tn::TrialParams& p, const tn::data::Dataset& train,
                               const tn::data::Dataset& validation, std::size_t epochs = 3) {
  tn::Model<Net> model{tn::init::Xavier{}, p.seed, 16};
  tn::optim::SGD sgd{{.lr = p["lr"],
                      .momentum = 0.9,
                      .weight_decay = p.contains("weight_decay") ? p["weight_decay"] : 0.0}};
  return tn::fit(
      model, sgd, tn::loss::SoftmaxCrossEntropy{}, train,
      {.epochs = epochs, .batch = 16, .validation = validation, .seed = p.seed, .quiet = true});
}

}  // namespace tune_test
