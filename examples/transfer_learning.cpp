// Transfer learning as the lectures teach it, on the real Fashion-MNIST: a LeNet-5 trained on
// the rich data of classes 0-4 (T-shirt, trouser, pullover, dress, coat: 30,000 images) is
// saved; a network with the same backbone and a new 5-class head for classes 5-9 (sandal,
// shirt, sneaker, bag, ankle boot) loads the backbone, freezes its convolutions (layers 0-5)
// and trains the rest on only 50 images per class. The same network trained from scratch on
// those 250 images is the baseline. Both are tested on all 5,000 test images of classes 5-9.
//
//   transfer_learning [OUTPUT_DIR] [--per-class N] [--pretrain-epochs N] [--test-subset N]
//                     [--frozen LAYERS]   (freeze_until: 0 fine-tunes all, 11 only the head)
#include <cstddef>
#include <filesystem>
#include <iostream>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

using Pretrained = tn::models::LeNet5<10>;
// Classes 5-9 as 0-4: the backbone's layers, positions and names, a new last layer.
using Target = tn::ReplaceHead<Pretrained, tn::Dense<5>>;

namespace {

// The samples whose label is in [first, first + count), relabelled from 0; at most `per_class`
// of each class (0: all), in dataset order.
tn::data::Dataset classes(const tn::data::Dataset& data, int first, int count,
                          std::size_t per_class = 0) {
  std::vector<std::size_t> indices, taken(std::size_t(count), 0);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const int c = data.labels[i] - first;
    if (c < 0 || c >= count) continue;
    if (per_class > 0 && taken[std::size_t(c)] == per_class) continue;
    ++taken[std::size_t(c)];
    indices.push_back(i);
  }
  auto subset = data.subset(indices);
  for (auto& label : subset.labels) label -= first;
  subset.classes = std::size_t(count);
  return subset;
}

}  // namespace

int main(int argc, char** argv) try {
  std::filesystem::path output = "transfer-learning";
  std::size_t per_class = 50, pretrain_epochs = 3, test_subset = 0, frozen = 6;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    const auto value = [&]() -> std::size_t {
      if (i + 1 >= argc) throw std::invalid_argument(argument + " needs a number");
      return std::stoul(argv[++i]);
    };
    if (argument == "--per-class")
      per_class = value();
    else if (argument == "--pretrain-epochs")
      pretrain_epochs = value();
    else if (argument == "--test-subset")
      test_subset = value();
    else if (argument == "--frozen")
      frozen = value();
    else if (!argument.empty() && argument[0] == '-')
      throw std::invalid_argument("unknown option " + argument);
    else
      output = argument;
  }
  std::filesystem::create_directories(output);

  auto data = tn::data::fashion_mnist();
  auto train = tn::data::pad(data.train, 2);
  auto test = tn::data::pad(data.test, 2);
  if (test_subset > 0) test = test.head(test_subset);
  const auto normalizer = tn::data::Normalizer::fit(train);
  normalizer.apply(train);
  normalizer.apply(test);

  // 1. Pretraining on classes 0-4, all their images (the 10-output LeNet-5 of the main job).
  const auto rich = classes(train, 0, 5);
  tn::Model<Pretrained> pretrained{tn::init::He{}, /*seed=*/1, 64};
  tn::optim::Adam adam{{.lr = 2e-3}};
  std::cout << "pretraining LeNet-5 on classes 0-4: " << rich.size() << " images\n";
  tn::fit(pretrained, adam, tn::loss::SoftmaxCrossEntropy{}, rich,
          {.epochs = pretrain_epochs, .batch = 64});
  const auto weights = output / "pretrained.safetensors";
  tn::save_weights(pretrained, weights);

  // 2. The small task: classes 5-9, `per_class` images each; tested on all their test images.
  const auto small = classes(train, 5, 5, per_class);
  const auto target_test = classes(test, 5, 5);
  std::cout << "\nclasses 5-9: " << small.size() << " training images, " << target_test.size()
            << " test images\n";
  const tn::FitOptions head_only{.epochs = 60, .batch = 25, .quiet = true};

  tn::Model<Target> fine_tuned{tn::init::He{}, /*seed=*/2, 64};
  const auto report = tn::load_weights(fine_tuned, weights, {.strict = false});
  std::cout << "loaded " << report.loaded.size() << " tensors of the backbone; new head: ";
  for (const auto& name : report.mismatched) std::cout << name << " ";
  std::cout << "\n";
  fine_tuned.freeze_until(frozen);
  tn::optim::Adam head_adam{{.lr = 1e-2}};
  tn::fit(fine_tuned, head_adam, tn::loss::SoftmaxCrossEntropy{}, small, head_only);
  const auto transfer = tn::evaluate(fine_tuned, target_test);

  tn::Model<Target> scratch{tn::init::He{}, /*seed=*/2, 64};
  tn::optim::Adam scratch_adam{{.lr = 2e-3}};
  tn::fit(scratch, scratch_adam, tn::loss::SoftmaxCrossEntropy{}, small,
          {.epochs = 60, .batch = 25, .quiet = true});
  const auto baseline = tn::evaluate(scratch, target_test);

  std::cout << "\ntest accuracy on classes 5-9 (" << target_test.size() << " images)\n"
            << "  pretrained backbone (first " << frozen << " layers frozen), trained on "
            << small.size() << " images: " << 100 * transfer.accuracy << "%\n"
            << "  the same network from scratch on the " << small.size()
            << " images:       " << 100 * baseline.accuracy << "%\n";
  return 0;
} catch (const std::exception& error) {
  std::cerr << "transfer_learning: " << error.what() << "\n";
  return 1;
}
