// Training: convergence on real Fashion-MNIST, determinism, early stopping, freezing, NaN.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <typenet/models/resnet.hpp>
#include <typenet/typenet.hpp>
#include "flat_weights.hpp"

namespace tn = typenet;

namespace {

using LeNet5 =
    tn::Sequential<tn::Input<1, 32, 32>, tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU,
                   tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Conv2D<16, tn::Kernel<5>>,
                   tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Flatten,
                   tn::Dense<120>, tn::ReLU, tn::Dense<84>, tn::ReLU, tn::Dense<10>>;

using Small = tn::Sequential<tn::Input<1, 4, 4>, tn::Flatten, tn::Dense<8>, tn::Tanh,
                             tn::Dropout<std::ratio<1, 4>>, tn::Dense<3>>;

// A small synthetic problem: the class is which third of the image is brightest.
tn::data::Dataset stripes(std::size_t count, std::uint64_t seed, bool random_labels = false) {
  tn::data::Dataset d;
  d.channels = 1;
  d.height = d.width = 4;
  d.classes = 3;
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(0, 1);
  for (std::size_t i = 0; i < count; ++i) {
    const int label = int(rng() % 3);
    for (std::size_t k = 0; k < 16; ++k)
      d.images.push_back(u(rng) + (k % 4 == std::size_t(label) ? 1.0f : 0.0f));
    d.labels.push_back(random_labels ? int(rng() % 3) : label);
  }
  return d;
}

using train_test::weights;

}  // namespace

TEST_CASE("LeNet-5 on 2,000 real Fashion-MNIST images beats 70 %", "[training][fashion-mnist]") {
  if (!std::filesystem::exists(tn::data::fashion_mnist_directory)) {
    FAIL("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist (scripts/setup)");
  }
  auto data = tn::data::fashion_mnist();
  auto train = tn::data::pad(data.train.head(2000), 2);
  auto test = tn::data::pad(data.test.head(1000), 2);
  const auto normalizer = tn::data::Normalizer::fit(train);
  normalizer.apply(train);
  normalizer.apply(test);
  tn::Model<LeNet5> model{tn::init::He{}, 3, 64};
  tn::optim::Adam adam{{.lr = 2e-3}};
  std::ostringstream progress;
  const auto history = tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, train,
                               {.epochs = 4, .batch = 32, .progress = &progress});
  const auto result = tn::evaluate(model, test);
  INFO(progress.str() << result);
  CHECK(history.epochs.size() == 4);
  CHECK(history.epochs.back().train_loss < history.epochs.front().train_loss);
  REQUIRE(result.accuracy > 0.70);
  // Not a terminal: at most a handful of plain lines per epoch.
  const std::string text = progress.str();
  const auto lines = std::count(text.begin(), text.end(), '\n');
  CHECK(lines <= 4 * 4);
}

TEST_CASE("A ResNet-8 on 4,000 real Fashion-MNIST images beats 80 %",
          "[training][fashion-mnist][resnet]") {
  if (!std::filesystem::exists(tn::data::fashion_mnist_directory)) {
    FAIL("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist (scripts/setup)");
  }
  // He et al.'s CIFAR ResNet-8 at half width (8/16/32 maps): three residual stages on 28x28.
  using ResNet8 = tn::models::CifarResNet<1, 10, 1, 28, 28, 8>;
  auto data = tn::data::fashion_mnist();
  auto train = data.train.head(4000);
  auto test = data.test.head(1000);
  const auto normalizer = tn::data::Normalizer::fit(train);
  normalizer.apply(train);
  normalizer.apply(test);
  tn::Model<ResNet8> model{tn::init::He{}, 3, 32};
  tn::optim::Adam adam{{.lr = 3e-3}};
  std::ostringstream progress;
  const auto history = tn::fit(
      model, adam, tn::loss::SoftmaxCrossEntropy{}, train,
      {.epochs = 5, .batch = 32, .schedule = tn::schedule::Cosine{}, .progress = &progress});
  const auto result = tn::evaluate(model, test);
  INFO(progress.str() << result);
  CHECK(history.epochs.back().train_loss < history.epochs.front().train_loss);
  REQUIRE(result.accuracy > 0.80);
}

TEST_CASE("One seed, bitwise identical weights", "[training]") {
  const auto train = stripes(300, 1);
  const auto run = [&] {
    tn::Model<Small> model{tn::init::XavierUniform{}, 11, 32};
    tn::optim::SGD sgd{{.lr = 0.1, .momentum = 0.9, .nesterov = true}};
    tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, train,
            {.epochs = 3, .batch = 32, .seed = 4, .quiet = true});
    return weights(model);
  };
  REQUIRE(run() == run());
}

TEST_CASE("Early stopping stops and restores the best epoch's weights", "[training]") {
  // Memorising 60 images while validating on random labels: the validation loss must rise.
  const auto train = stripes(60, 2, true);
  const auto validation = stripes(200, 3, true);
  tn::Model<Small> model{tn::init::XavierUniform{}, 5, 64};
  tn::optim::Adam adam{{.lr = 0.05}};
  std::vector<std::vector<float>> after_epoch;
  const auto history =
      tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, train,
              {.epochs = 60,
               .batch = 20,
               .validation = validation,
               .early_stopping = {.patience = 2},
               .quiet = true,
               .on_epoch = [&](const tn::EpochRecord&) { after_epoch.push_back(weights(model)); }});
  REQUIRE(history.stopped_early);
  REQUIRE(history.epochs.size() < 60);
  REQUIRE(history.epochs.size() == history.best_epoch + 2);
  double best = 1e9;
  for (const auto& r : history.epochs) best = std::min(best, r.validation_loss);
  CHECK(history.epochs[history.best_epoch - 1].validation_loss == best);
  REQUIRE(weights(model) == after_epoch[history.best_epoch - 1]);
}

TEST_CASE("Frozen layers keep their weights, the others train", "[training]") {
  tn::Model<Small> model{tn::init::XavierUniform{}, 6, 32};
  model.freeze(1);  // the first Dense
  const auto before = weights(model);
  tn::optim::SGD sgd{{.lr = 0.5}};
  tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, stripes(64, 7),
          {.epochs = 2, .batch = 16, .quiet = true});
  const auto after = weights(model);
  const std::size_t first_dense = 16 * 8 + 8;
  for (std::size_t i = 0; i < first_dense; ++i) REQUIRE(after[i] == before[i]);
  bool changed = false;
  for (std::size_t i = first_dense; i < after.size(); ++i) changed |= after[i] != before[i];
  REQUIRE(changed);
  REQUIRE(model.parameters().size() == 2);
}

TEST_CASE("A NaN loss stops training with epoch, step and advice, weights stay finite",
          "[training]") {
  // Two linear layers: each one's gradient grows with the other's weights, so at this rate the
  // logits overflow float within a few steps.
  using Exploding = tn::Sequential<tn::Input<1, 4, 4>, tn::Flatten, tn::Dense<8>, tn::Dense<3>>;
  tn::Model<Exploding> model{tn::init::XavierUniform{}, 8, 32};
  tn::optim::SGD sgd{{.lr = 1e20}};
  REQUIRE_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, stripes(64, 9),
                              {.epochs = 3, .batch = 16, .quiet = true}),
                      Catch::Contains("epoch 1, step") &&
                          Catch::Contains("learning rate too high") &&
                          Catch::Contains("output of layer"));
  for (auto* p : model.all_parameters())
    for (std::size_t i = 0; i < p->size(); ++i) REQUIRE(std::isfinite(p->value[i]));
}

TEST_CASE("A NaN in the data is named with its sample before training", "[training]") {
  tn::Model<Small> model{tn::init::XavierUniform{}, 8, 32};
  const auto before = weights(model);
  tn::optim::SGD sgd;
  auto data = stripes(32, 1);
  data.images[100] = std::numeric_limits<float>::quiet_NaN();  // sample 6, value 4
  REQUIRE_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data,
                              {.epochs = 1, .batch = 16, .shuffle = false, .quiet = true}),
                      "fit (training set): sample 6 holds NaN (value 4 of the sample)");
  CHECK(weights(model) == before);
}

TEST_CASE("Wrong dataset shapes are reported before training", "[training]") {
  tn::Model<Small> model{tn::init::XavierUniform{}, 8, 32};
  tn::optim::SGD sgd;
  auto wrong = stripes(10, 1);
  wrong = tn::data::pad(wrong, 1);
  REQUIRE_THROWS_WITH(tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, wrong, {.quiet = true}),
                      Catch::Contains("samples are 1x6x6 but the network takes 1x4x4"));
}

TEST_CASE("History CSV and evaluation report", "[training]") {
  tn::Model<Small> model{tn::init::XavierUniform{}, 10, 32};
  tn::optim::Adam adam{{.lr = 0.01}};
  const auto data = stripes(96, 12);
  const auto history = tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, data,
                               {.epochs = 2, .batch = 32, .validation = data, .quiet = true});
  const auto path = std::filesystem::temp_directory_path() / "typenet-history.csv";
  history.write_csv(path);
  std::ifstream in(path);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(header.rfind("epoch,train_loss,train_accuracy,validation_loss", 0) == 0);
  CHECK(first.rfind("1,", 0) == 0);
  const auto e = tn::evaluate(model, data);
  std::size_t total = 0, diagonal = 0;
  for (std::size_t t = 0; t < 3; ++t)
    for (std::size_t p = 0; p < 3; ++p) {
      total += e.confusion[t][p];
      diagonal += t == p ? e.confusion[t][p] : 0;
    }
  CHECK(total == 96);
  CHECK(e.accuracy == Approx(double(diagonal) / 96));
  std::ostringstream text;
  text << e;
  CHECK(text.str().find("confusion matrix") != std::string::npos);
}
