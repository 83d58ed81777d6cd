// The main job: LeNet-5 trained on the real Fashion-MNIST (Debian's dataset-fashion-mnist).
//
//   lenet_fashion_mnist [OUTPUT_DIR] [--epochs N] [--train-subset N] [--test-subset N]
//                       [--threads N]
//
// Writes OUTPUT_DIR/history.csv and OUTPUT_DIR/curves.svg (loss and accuracy per epoch) and
// nothing else, anywhere else. The subsets take the first N training / test images (the CTest
// smoke run uses them).
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <typenet/kernel/parallel.hpp>
#include <typenet/typenet.hpp>

#include "plot.hpp"

namespace tn = typenet;

using LeNet5 = tn::Sequential<tn::Input<1, 32, 32>,
    tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>,
    tn::Conv2D<16, tn::Kernel<5>>, tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>,
    tn::Flatten,
    tn::Dense<120>, tn::ReLU,
    tn::Dense<84>, tn::ReLU,
    tn::Dense<10>>;

static_assert(LeNet5::output_shape == tn::Shape<10>{});
static_assert(LeNet5::parameter_count == 61'706);

int main(int argc, char** argv) try {
  std::filesystem::path output = "lenet-fashion-mnist";
  std::size_t epochs = 5;
  std::size_t subset = 0, test_subset = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    auto value = [&]() -> std::size_t {
      if (i + 1 >= argc) throw std::invalid_argument(argument + " needs a number");
      return std::stoul(argv[++i]);
    };
    if (argument == "--epochs") epochs = value();
    else if (argument == "--train-subset") subset = value();
    else if (argument == "--test-subset") test_subset = value();
    else if (argument == "--threads") tn::set_threads(value());
    else if (!argument.empty() && argument[0] == '-')
      throw std::invalid_argument("unknown option " + argument);
    else output = argument;
  }

  std::cout << tn::summary<LeNet5>("LeNet-5") << "\n";
  auto data = tn::data::fashion_mnist();
  if (subset > 0) data.train = data.train.head(subset);
  if (test_subset > 0) data.test = data.test.head(test_subset);
  // LeNet-5 takes 32x32: Fashion-MNIST's 28x28 images get a 2-pixel border, as in the paper.
  auto [train, validation] = tn::data::split(tn::data::pad(data.train, 2), 55.0 / 60.0, 42);
  auto test = tn::data::pad(data.test, 2);
  const auto normalizer = tn::data::Normalizer::fit(train);
  normalizer.apply(train);
  normalizer.apply(validation);
  normalizer.apply(test);
  std::cout << "Fashion-MNIST from " << tn::data::fashion_mnist_directory.string() << ": "
            << train.size() << " training, " << validation.size() << " validation, "
            << test.size() << " test images; " << tn::threads() << " thread(s)\n";

  tn::Model<LeNet5> model{tn::init::He{}, /*seed=*/1};
  tn::optim::Adam optimizer{{.lr = 2e-3}};
  const auto history = tn::fit(model, optimizer, tn::loss::SoftmaxCrossEntropy{}, train,
                               {.epochs = epochs, .batch = 64, .validation = validation,
                                .schedule = tn::schedule::Cosine{}});

  const auto result = tn::evaluate(model, test);
  std::cout << "\ntest set: " << result;
  std::filesystem::create_directories(output);
  history.write_csv(output / "history.csv");
  write_curves_svg(history, output / "curves.svg", "LeNet-5 on Fashion-MNIST");
  std::cout << "\nfinal test accuracy: " << 100 * result.accuracy << "%\n"
            << "history: " << (output / "history.csv").string()
            << "\ncurves:  " << (output / "curves.svg").string() << "\n";
  return 0;
} catch (const std::exception& error) {
  std::cerr << "lenet_fashion_mnist: " << error.what() << "\n";
  return 1;
}
