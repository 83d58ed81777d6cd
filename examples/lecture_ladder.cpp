// The lecture's ladder of classifiers on the same Fashion-MNIST split, so a learner sees what
// each step buys: kNN (L1 and L2, k chosen on the validation split), a linear classifier with
// softmax loss and one with hinge (SVM) loss, an MLP, and a small CNN.
//
//   lecture_ladder [--train N] [--epochs N]    (defaults: 10,000 training images, 10 epochs)
//
// --help lists the options; a wrong one is one line on stderr and exit status 2.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <numeric>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#include "arguments.hpp"

namespace tn = typenet;

namespace {

// k nearest neighbours: majority vote among the k training images closest in L1 or L2 distance.
struct NearestNeighbours {
  const tn::data::Dataset& train;
  bool l1;

  // The `kmax` nearest training labels of one image, nearest first.
  std::vector<int> neighbours(std::span<const float> image, std::size_t kmax) const {
    std::vector<std::pair<float, int>> distances(train.size());
    for (std::size_t i = 0; i < train.size(); ++i) {
      const auto other = train.image(i);
      float d = 0;
      for (std::size_t k = 0; k < image.size(); ++k) {
        const float diff = image[k] - other[k];
        d += l1 ? std::abs(diff) : diff * diff;
      }
      distances[i] = {d, train.labels[i]};
    }
    std::partial_sort(distances.begin(), distances.begin() + std::ptrdiff_t(kmax), distances.end());
    std::vector<int> labels(kmax);
    for (std::size_t i = 0; i < kmax; ++i) labels[i] = distances[i].second;
    return labels;
  }
  static int vote(const std::vector<int>& labels, std::size_t k) {
    std::array<int, 10> counts{};
    for (std::size_t i = 0; i < k; ++i) ++counts[std::size_t(labels[i])];
    // Ties go to the class whose nearest member is nearer.
    int best = labels[0];
    for (std::size_t i = 0; i < k; ++i)
      if (counts[std::size_t(labels[i])] > counts[std::size_t(best)]) best = labels[i];
    return best;
  }
  // Accuracy for each k in ks on `data`.
  std::vector<double> accuracy(const tn::data::Dataset& data,
                               const std::vector<std::size_t>& ks) const {
    const std::size_t kmax = *std::max_element(ks.begin(), ks.end());
    std::vector<std::size_t> correct(ks.size(), 0);
    for (std::size_t i = 0; i < data.size(); ++i) {
      const auto labels = neighbours(data.image(i), kmax);
      for (std::size_t j = 0; j < ks.size(); ++j)
        correct[j] += vote(labels, ks[j]) == data.labels[i];
    }
    std::vector<double> result;
    for (auto c : correct) result.push_back(double(c) / double(data.size()));
    return result;
  }
};

template <class Net, class Loss, class Optimizer>
double train_and_test(const char* name, Optimizer optimizer, Loss loss,
                      const tn::data::Dataset& train, const tn::data::Dataset& validation,
                      const tn::data::Dataset& test, std::size_t epochs) {
  tn::Model<Net> model{tn::init::He{}, /*seed=*/1, 128};
  tn::fit(model, optimizer, loss, train,
          {.epochs = epochs, .batch = 64, .validation = validation, .quiet = true});
  const double accuracy = tn::evaluate(model, test).accuracy;
  std::cout << std::left << std::setw(40) << name << std::right << std::fixed
            << std::setprecision(2) << 100 * accuracy << " %   (" << Net::parameter_count
            << " parameters)\n";
  return accuracy;
}

}  // namespace

int main(int argc, char** argv) try {
  std::size_t train_size = 10000, epochs = 10;
  CommandLine app{"kNN, linear classifiers, an MLP and a CNN on the same Fashion-MNIST split",
                  "lecture_ladder"};
  // From 100 (a validation split of 10 images, more than kNN's largest k) to 50,000 (the split
  // then takes 55,000 of the 60,000 training images, and the test a fifth: all 10,000).
  app.add_count("--train", train_size, "training images (a tenth more are the validation split)",
                100, 50'000);
  app.add_count("--epochs", epochs, "epochs of training for each network", 1, 1'000'000);
  if (const auto status = app.parse(argc, argv)) return *status;

  auto data = tn::data::fashion_mnist();
  auto [train, validation] =
      tn::data::split(data.train.head(train_size + train_size / 10),
                      double(train_size) / double(train_size + train_size / 10), 7);
  auto test = data.test.head(std::max<std::size_t>(train_size / 5, 500));
  const auto normalizer = tn::data::Normalizer::fit(train);
  normalizer.apply(train);
  normalizer.apply(validation);
  normalizer.apply(test);
  std::cout << "Fashion-MNIST: " << train.size() << " training, " << validation.size()
            << " validation, " << test.size() << " test images\n\n";

  const std::vector<std::size_t> ks{1, 3, 5, 7, 9};
  for (bool l1 : {true, false}) {
    const NearestNeighbours knn{train, l1};
    const auto on_validation = knn.accuracy(validation, ks);
    const std::size_t best = std::size_t(
        std::max_element(on_validation.begin(), on_validation.end()) - on_validation.begin());
    const double accuracy = knn.accuracy(test, {ks[best]})[0];
    std::cout << std::left << std::setw(40)
              << ("kNN, " + std::string(l1 ? "L1" : "L2") +
                  " distance, k = " + std::to_string(ks[best]) + " (validation)")
              << std::right << std::fixed << std::setprecision(2) << 100 * accuracy << " %\n";
  }

  using Linear = tn::Sequential<tn::Input<1, 28, 28>, tn::Flatten, tn::Dense<10>>;
  using MLP =
      tn::Sequential<tn::Input<1, 28, 28>, tn::Flatten, tn::Dense<256>, tn::ReLU, tn::Dense<10>>;
  using CNN =
      tn::Sequential<tn::Input<1, 28, 28>, tn::Conv2D<32, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
                     tn::MaxPool2D<tn::Kernel<2>>, tn::Conv2D<64, tn::Kernel<3>, tn::Pad<1>>,
                     tn::ReLU, tn::MaxPool2D<tn::Kernel<2>>, tn::Flatten, tn::Dense<128>, tn::ReLU,
                     tn::Dense<10>>;
  const auto adam = [] { return tn::optim::Adam{{.lr = 1e-3}}; };
  train_and_test<Linear>("linear, softmax loss", adam(), tn::loss::SoftmaxCrossEntropy{}, train,
                         validation, test, epochs);
  train_and_test<Linear>("linear, hinge (SVM) loss", adam(), tn::loss::Hinge{}, train, validation,
                         test, epochs);
  train_and_test<MLP>("MLP, one hidden layer of 256", adam(), tn::loss::SoftmaxCrossEntropy{},
                      train, validation, test, epochs);
  train_and_test<CNN>("CNN, two 3x3 conv + pool blocks", adam(), tn::loss::SoftmaxCrossEntropy{},
                      train, validation, test, epochs);
  return 0;
} catch (const std::exception& error) {
  report_error("lecture_ladder", error.what());
  return 1;
}
