// Semantic segmentation of composite Fashion-MNIST scenes with a small padded U-Net, beside the
// same network without its skip connections.
//
//   segmentation [OUTPUT_DIR] [--epochs N] [--train-scenes N] [--test-scenes N] [--threads N]
//
// Each scene is a 64 x 64 canvas with 2 to 4 Fashion-MNIST items at random places (they may
// overlap), every pixel labelled with its item's class + 1 or 0 for background (11 classes).
// Training scenes are built from the training images (seed 1), test scenes from the test
// images (seed 2). Writes OUTPUT_DIR/scenes.png: test scenes, true masks, U-Net's and the
// baseline's predictions side by side. docs/segmentation.md quotes a full run. --help lists the
// options with their defaults; a wrong one is one line on stderr and exit status 2, an output
// folder that cannot be written one line and status 1, before any training.
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <string>
#include <typenet/kernel/parallel.hpp>
#include <typenet/typenet.hpp>
#include <vector>

#include "arguments.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace tn = typenet;

namespace {

constexpr std::size_t side = 64, classes = 11;

// U-Net (tn::models::unet's levels, padded) at a reduced width: 8, 16, 32 maps and 64 at the
// bottom, three 2x2 pools (64 -> 8 pixels), so a pixel sees about the whole 28 x 28 item.
template <std::size_t Out, class Inner>
using Level = tn::models::unet::Level<Out, 1, Inner>;
using Bottom = tn::models::unet::Twice<64, 1>;
using SmallUNet = tn::Sequential<tn::Input<1, side, side>, Level<8, Level<16, Level<32, Bottom>>>,
                                 tn::Conv2D<classes, tn::Kernel<1>>>;

// The baseline: the same layers without the skips (the expanding path sees only the bottom).
template <std::size_t Out, class Inner>
using NoSkip =
    tn::Block<tn::models::unet::Twice<Out, 1>, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, Inner,
              tn::ConvTranspose2D<Out, tn::Kernel<2>, tn::Stride<2>>,
              tn::models::unet::Twice<Out, 1>>;
using NoSkipNet =
    tn::Sequential<tn::Input<1, side, side>, NoSkip<8, NoSkip<16, NoSkip<32, Bottom>>>,
                   tn::Conv2D<classes, tn::Kernel<1>>>;

struct Result {
  tn::SegmentationEvaluation test;
  double seconds = 0;
  std::vector<int> predictions;  // of the first scenes, for the picture
};

template <class Net>
Result train(const char* name, const tn::data::SegmentationDataset& train_set,
             const tn::data::SegmentationDataset& test_set, std::size_t epochs, std::size_t shown) {
  std::cout << "\n" << tn::summary<Net>(name) << "\n";
  tn::Model<Net> model{tn::init::He{}, /*seed=*/1, 32};
  tn::optim::Adam optimizer{{.lr = 2e-3}};
  namespace aug = tn::data::augment;
  const auto start = std::chrono::steady_clock::now();
  tn::fit(model, optimizer, tn::loss::SoftmaxCrossEntropy{}, train_set,
          {.epochs = epochs,
           .batch = 32,
           .schedule = tn::schedule::Cosine{},
           .augment = aug::chain(aug::HorizontalFlip{0.5, 1, side, side})});
  Result result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.test = tn::evaluate(model, test_set);
  tn::Tensor<float, tn::Shape<1, side, side>> x(shown);
  for (std::size_t i = 0; i < shown; ++i)
    std::copy(test_set.image(i).begin(), test_set.image(i).end(), x.sample(i));
  const auto& y = model.predict(x);
  for (std::size_t n = 0; n < shown; ++n)
    for (std::size_t p = 0; p < side * side; ++p) {
      std::size_t best = 0;
      for (std::size_t c = 1; c < classes; ++c)
        if (y.sample(n)[c * side * side + p] > y.sample(n)[best * side * side + p]) best = c;
      result.predictions.push_back(int(best));
    }
  std::cout << name << " on " << test_set.size() << " test scenes: " << result.test;
  return result;
}

// Background black, the ten Fashion-MNIST classes in distinct colours.
constexpr std::array<std::array<std::uint8_t, 3>, classes> palette{{{0, 0, 0},
                                                                    {230, 25, 75},
                                                                    {60, 180, 75},
                                                                    {255, 225, 25},
                                                                    {0, 130, 200},
                                                                    {245, 130, 48},
                                                                    {145, 30, 180},
                                                                    {70, 240, 240},
                                                                    {240, 50, 230},
                                                                    {210, 245, 60},
                                                                    {250, 190, 212}}};

// One row per scene: the scene, the true mask, U-Net's and the baseline's predicted masks.
void write_picture(const std::filesystem::path& path, const tn::data::SegmentationDataset& raw,
                   const std::vector<int>& unet, const std::vector<int>& baseline,
                   std::size_t shown) {
  constexpr std::size_t gap = 4, panels = 4;
  const std::size_t width = panels * side + (panels - 1) * gap;
  const std::size_t height = shown * side + (shown - 1) * gap;
  std::vector<std::uint8_t> rgb(width * height * 3, 255);
  for (std::size_t n = 0; n < shown; ++n)
    for (std::size_t p = 0; p < side * side; ++p) {
      const std::size_t y = n * (side + gap) + p / side;
      const auto grey = std::uint8_t(std::clamp(raw.image(n)[p], 0.0f, 1.0f) * 255);
      const std::array<std::array<std::uint8_t, 3>, panels> colours{
          {{grey, grey, grey},
           palette[std::size_t(raw.mask(n)[p])],
           palette[std::size_t(unet[n * side * side + p])],
           palette[std::size_t(baseline[n * side * side + p])]}};
      for (std::size_t k = 0; k < panels; ++k) {
        const std::size_t x = k * (side + gap) + p % side;
        std::copy(colours[k].begin(), colours[k].end(),
                  rgb.begin() + std::ptrdiff_t((y * width + x) * 3));
      }
    }
  if (stbi_write_png(path.c_str(), int(width), int(height), 3, rgb.data(), int(width * 3)) == 0)
    throw std::runtime_error(path.string() + ": cannot write the PNG");
}

}  // namespace

int main(int argc, char** argv) try {
  std::string folder = "segmentation-output";
  std::size_t epochs = 8, train_scenes = 6000, test_scenes = 1000, threads = 0;
  CommandLine app{"A small U-Net and the same without skips segment composite Fashion-MNIST scenes",
                  "segmentation"};
  app.add_path("output", folder, "folder for scenes.png", /*show_default=*/true);
  app.add_count("--epochs", epochs, "epochs of training for each network", 1, 1'000'000);
  app.add_count("--train-scenes", train_scenes, "training scenes", 1, 100'000);
  app.add_count("--test-scenes", test_scenes, "test scenes", 1, 100'000);
  app.add_threads(threads);
  if (const auto status = app.parse(argc, argv)) return *status;
  if (threads > 0) tn::set_threads(threads);
  const std::filesystem::path output = folder;
  prepare_output_folder(output);  // before the training, not after it

  const auto fm = tn::data::fashion_mnist();
  auto train_set = tn::data::composite_scenes(fm.train, {.count = train_scenes, .seed = 1});
  const auto raw_test = tn::data::composite_scenes(fm.test, {.count = test_scenes, .seed = 2});
  auto test_set = raw_test;
  const auto normalizer = tn::data::Normalizer::fit(train_set);
  normalizer.apply(train_set);
  normalizer.apply(test_set);
  std::cout << "composite scenes from " << tn::data::fashion_mnist_directory.string() << ": "
            << train_set.size() << " training (from the training images), " << test_set.size()
            << " test (from the test images), 64 x 64, 11 classes; " << tn::threads()
            << " thread(s), " << epochs << " epoch(s)\n";

  const std::size_t shown = std::min<std::size_t>(6, test_set.size());
  const auto unet = train<SmallUNet>("U-Net (8-16-32-64)", train_set, test_set, epochs, shown);
  const auto plain = train<NoSkipNet>("no skips", train_set, test_set, epochs, shown);

  write_picture(output / "scenes.png", raw_test, unet.predictions, plain.predictions, shown);
  std::cout << std::fixed << std::setprecision(2) << "\n"
            << "U-Net:    mean IoU " << 100 * unet.test.mean_iou << "%  pixel accuracy "
            << 100 * unet.test.pixel_accuracy << "%  (training " << std::setprecision(0)
            << unet.seconds << " s)\n"
            << std::setprecision(2) << "no skips: mean IoU " << 100 * plain.test.mean_iou
            << "%  pixel accuracy " << 100 * plain.test.pixel_accuracy << "%  (training "
            << std::setprecision(0) << plain.seconds << " s)\n"
            << "picture:  " << (output / "scenes.png").string()
            << " (scene, true mask, U-Net, no skips)\n";
  return 0;
} catch (const std::exception& error) {
  report_error("segmentation", error.what());
  return 1;
}
