// The prediction mode of the Fashion-MNIST examples (examples/fashion_mnist_predict.hpp): a
// LeNet-5 trained briefly on real images, saved with its preprocessing, predicts on PNG files
// of real test images exactly as the in-memory path (dataset, pad, normalise, forward, softmax)
// does on the same images; and every broken input is an error naming the file.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#include "fashion_mnist_predict.hpp"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace tn = typenet;
namespace fs = std::filesystem;
using Catch::Contains;
using LeNet5 = tn::models::LeNet5<10>;  // the main job's network, layer for layer

namespace {

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("typenet-predict-test-" + std::to_string(getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  fs::path operator/(const std::string& name) const { return dir / name; }
};

// An 8-bit grey PNG of a dataset image (values v / 255, as load_idx reads them).
void write_png(const fs::path& path, std::span<const float> image, int side) {
  std::vector<std::uint8_t> bytes(image.size());
  for (std::size_t k = 0; k < image.size(); ++k)
    bytes[k] = std::uint8_t(std::lround(image[k] * 255));
  REQUIRE(stbi_write_png(path.c_str(), side, side, 1, bytes.data(), side) != 0);
}

// The in-memory path, written out here on its own: the test images as training saw its images
// (padded by 2, normalised), one forward pass, softmax in double, sorted.
std::vector<std::vector<ClassProbability>> in_memory(tn::Model<LeNet5>& model,
                                                     const tn::data::Dataset& images,
                                                     const tn::data::Normalizer& normalizer) {
  auto data = tn::data::pad(images, 2);
  normalizer.apply(data);
  tn::Tensor<float, LeNet5::input_type> x(data.size());
  for (std::size_t i = 0; i < data.size(); ++i)
    std::copy(data.image(i).begin(), data.image(i).end(), x.sample(i));
  const auto& y = model.predict(x);
  std::vector<std::vector<ClassProbability>> out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::vector<double> e(10);
    double largest = y(i, 0), sum = 0;
    for (std::size_t c = 1; c < 10; ++c) largest = std::max(largest, double(y(i, c)));
    for (std::size_t c = 0; c < 10; ++c) sum += e[c] = std::exp(double(y(i, c)) - largest);
    std::vector<std::size_t> order(10);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return e[a] > e[b]; });
    out.push_back({{order[0], e[order[0]] / sum},
                   {order[1], e[order[1]] / sum},
                   {order[2], e[order[2]] / sum}});
  }
  return out;
}

}  // namespace

TEST_CASE("Predicting on PNG files of test images gives the in-memory top-3 and probabilities",
          "[predict]") {
  const Scratch dir;
  const auto data = tn::data::fashion_mnist();
  auto train = tn::data::pad(data.train.head(3000), 2);
  const auto normalizer = tn::data::Normalizer::fit(train);
  normalizer.apply(train);
  tn::Model<LeNet5> model{tn::init::He{}, /*seed=*/1, 64};
  tn::optim::Adam adam{{.lr = 2e-3}};
  tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, train,
          {.epochs = 1, .batch = 64, .quiet = true});
  tn::save_weights(model, dir / "model.safetensors", preprocessing_metadata({normalizer, 2}));

  const auto test = data.test.head(24);
  std::vector<fs::path> files;
  std::vector<tn::data::Image> images;
  for (std::size_t i = 0; i < test.size(); ++i) {
    files.push_back(dir / (std::to_string(i) + ".png"));
    write_png(files.back(), test.image(i), 28);
    images.push_back(tn::data::read_image(files.back()));
  }

  FashionMnistPredictor<LeNet5> predictor(dir / "model.safetensors");
  // The preprocessing read back is the one training used, to the bit.
  CHECK(predictor.preprocessing().normalizer.mean == normalizer.mean);
  CHECK(predictor.preprocessing().normalizer.stddev == normalizer.stddev);
  CHECK(predictor.preprocessing().pad == 2);
  // The files become exactly the inputs the dataset's images are.
  auto expected_inputs = tn::data::pad(test, 2);
  normalizer.apply(expected_inputs);
  CHECK(predictor.inputs(images).images == expected_inputs.images);

  const auto expected = in_memory(model, test, normalizer);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    INFO("test image " << i << ", " << files[i].string());
    const auto got = predictor.predict(files[i]);  // one file at a time, from the file
    REQUIRE(got.size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
      CHECK(got[k].label == expected[i][k].label);
      CHECK(got[k].probability == Approx(expected[i][k].probability).margin(1e-6));
    }
    CHECK(got[0].probability >= got[1].probability);
    CHECK(got[1].probability >= got[2].probability);
    correct += got[0].label == std::size_t(test.labels[i]);
  }
  // Trained on 3,000 images for one epoch, the network is right on most of them (about 80 %):
  // the comparison above is between real predictions, not between two uniform guesses.
  CHECK(correct >= 16);
}

TEST_CASE("top_classes: softmax probabilities, most probable first, ties by label", "[predict]") {
  const std::vector<float> scores{0, std::log(3.0f), 0, 0, std::log(0.5f)};
  const auto top = top_classes(scores, 3);
  REQUIRE(top.size() == 3);
  CHECK(top[0].label == 1);
  CHECK(top[0].probability == Approx(3.0 / 6.5));
  CHECK(top[1].label == 0);
  CHECK(top[2].label == 2);
  CHECK(top[2].probability == Approx(1.0 / 6.5));
  CHECK(top_classes(scores, 9).size() == 5);
  // Large scores do not overflow.
  const auto big = top_classes(std::vector<float>{1000, 999}, 2);
  CHECK(big[0].probability == Approx(1 / (1 + std::exp(-1.0))));
}

TEST_CASE("Prediction refuses another network's file, missing preprocessing, bad images",
          "[predict]") {
  const Scratch dir;
  tn::Model<LeNet5> lenet{tn::init::He{}, /*seed=*/1, 8};
  const Preprocessing good{{{0.25f}, {0.375f}}, 2};
  tn::save_weights(lenet, dir / "good.safetensors", preprocessing_metadata(good));
  FashionMnistPredictor<LeNet5> predictor(dir / "good.safetensors");

  SECTION("a weight file of another network names both") {
    using Other = tn::Sequential<tn::Input<1, 32, 32>, tn::Flatten, tn::Dense<10>>;
    tn::Model<Other> other{tn::init::He{}, 1, 8};
    tn::save_weights(other, dir / "other.safetensors", preprocessing_metadata(good));
    CHECK_THROWS_WITH(
        FashionMnistPredictor<LeNet5>(dir / "other.safetensors"),
        Contains((dir / "other.safetensors").string() + ": does not fit the network") &&
            Contains("this file holds the network Input 1x32x32 -> Flatten"));
  }
  SECTION("a weight file without the preprocessing, or with a broken one") {
    tn::save_weights(lenet, dir / "bare.safetensors");
    CHECK_THROWS_WITH(FashionMnistPredictor<LeNet5>(dir / "bare.safetensors"),
                      Contains("bare.safetensors: its metadata has no 'normalizer.mean'"));
    auto metadata = preprocessing_metadata(good);
    metadata["normalizer.stddev"] = "0.3x";
    tn::save_weights(lenet, dir / "bad.safetensors", metadata);
    CHECK_THROWS_WITH(FashionMnistPredictor<LeNet5>(dir / "bad.safetensors"),
                      Contains("metadata 'normalizer.stddev' is \"0.3x\", not a number"));
    metadata["normalizer.stddev"] = "0";
    tn::save_weights(lenet, dir / "bad.safetensors", metadata);
    CHECK_THROWS_WITH(FashionMnistPredictor<LeNet5>(dir / "bad.safetensors"),
                      Contains("are not a finite mean and a positive deviation"));
    metadata = preprocessing_metadata({good.normalizer, 16});
    tn::save_weights(lenet, dir / "bad.safetensors", metadata);
    CHECK_THROWS_WITH(FashionMnistPredictor<LeNet5>(dir / "bad.safetensors"),
                      Contains("metadata pad 16 does not fit the input 1 x 32 x 32"));
  }
  SECTION("a missing weight file, a missing image, a file that is not an image") {
    CHECK_THROWS_WITH(FashionMnistPredictor<LeNet5>(dir / "none.safetensors"),
                      Contains("none.safetensors") && Contains("no such file"));
    CHECK_THROWS_WITH(predictor.predict(dir / "none.png"),
                      Contains((dir / "none.png").string() + ": no such file"));
    std::ofstream(dir / "notes.png") << "not an image\n";
    CHECK_THROWS_WITH(predictor.predict(dir / "notes.png"),
                      Contains("notes.png: not a PNG, JPEG, BMP or binary PGM/PPM file"));
  }
  SECTION("an image of any size and colour becomes a 28 x 28 grey input") {
    std::vector<std::uint8_t> rgb(50 * 40 * 3, 128);
    REQUIRE(stbi_write_png((dir / "colour.png").c_str(), 50, 40, 3, rgb.data(), 150) != 0);
    const auto top = predictor.predict(dir / "colour.png");
    CHECK(top.size() == 3);
    const auto input = predictor.inputs({tn::data::read_image(dir / "colour.png")});
    CHECK(input.height == 32);
    CHECK(input.channels == 1);
    // The padding is the normalised black: (0 - 0.25) / 0.375.
    CHECK(input.images.front() == Approx(-0.25 / 0.375));
  }
}

TEST_CASE("A sequence network (28 rows as steps) predicts on image files as in memory",
          "[predict]") {
  // Issue 15: sequence_fashion_mnist refused its own weight file (it took Input<28, 28> for a
  // C x H x W image). The rows of a test image are the steps, exactly as training read them.
  using Rows = tn::Sequential<tn::Input<28, 28>, tn::GRU<12>, tn::Dense<10>>;
  const Scratch dir;
  tn::Model<Rows> model{tn::init::He{}, /*seed=*/1, 8};
  const tn::data::Normalizer normalizer{{0.25f}, {0.375f}};
  tn::save_weights(model, dir / "rows.safetensors", preprocessing_metadata({normalizer, 0}));
  FashionMnistPredictor<Rows> predictor(dir / "rows.safetensors");

  const auto test = tn::data::fashion_mnist().test.head(6);
  auto expected = test;
  normalizer.apply(expected);
  tn::Tensor<float, Rows::input_type> x(test.size());
  for (std::size_t i = 0; i < test.size(); ++i) {
    write_png(dir / (std::to_string(i) + ".png"), test.image(i), 28);
    std::copy(expected.image(i).begin(), expected.image(i).end(), x.sample(i));
  }
  const auto& y = model.predict(x);
  for (std::size_t i = 0; i < test.size(); ++i) {
    INFO("test image " << i);
    const auto file = dir / (std::to_string(i) + ".png");
    const auto input = predictor.inputs({tn::data::read_image(file)});
    CHECK(input.channels == 1);
    CHECK(input.height == 28);
    CHECK(input.width == 28);
    CHECK(input.images == std::vector<float>(expected.image(i).begin(), expected.image(i).end()));
    const auto scores = std::vector<float>(y.sample(i), y.sample(i) + 10);
    const auto want = top_classes(scores, 3);
    const auto got = predictor.predict(file);
    REQUIRE(got.size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
      CHECK(got[k].label == want[k].label);
      CHECK(got[k].probability == Approx(want[k].probability).margin(1e-6));
    }
  }
  // A padding that leaves no step is refused with the sequence's shape.
  tn::save_weights(model, dir / "padded.safetensors", preprocessing_metadata({normalizer, 14}));
  CHECK_THROWS_WITH(FashionMnistPredictor<Rows>(dir / "padded.safetensors"),
                    Contains("metadata pad 14 does not fit the input 28 x 28 (steps x features)"));
}
