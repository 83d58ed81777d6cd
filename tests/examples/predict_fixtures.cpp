// Writes the files the end-to-end test of `lenet_fashion_mnist predict` (predict_cli.cmake) runs
// on, into the folder given: real test images 0-5 as PNG (0-2), BMP (3), JPEG (4) and binary PGM
// (5); a text file named notes.png; the weights of another network (other.safetensors) and of a
// LeNet-5 without the training's preprocessing in its metadata (bare.safetensors).
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace tn = typenet;
namespace fs = std::filesystem;

int main(int argc, char** argv) try {
  if (argc != 2) throw std::invalid_argument("usage: predict_fixtures FOLDER");
  const fs::path dir = argv[1];
  fs::create_directories(dir);
  const auto test = tn::data::fashion_mnist().test.head(6);
  for (std::size_t i = 0; i < test.size(); ++i) {
    std::vector<std::uint8_t> bytes(28 * 28);
    for (std::size_t k = 0; k < bytes.size(); ++k)
      bytes[k] = std::uint8_t(std::lround(test.image(i)[k] * 255));
    const std::string name = (dir / ("test-" + std::to_string(i))).string();
    bool ok = true;
    if (i < 3) ok = stbi_write_png((name + ".png").c_str(), 28, 28, 1, bytes.data(), 28) != 0;
    if (i == 3) ok = stbi_write_bmp((name + ".bmp").c_str(), 28, 28, 1, bytes.data()) != 0;
    if (i == 4) ok = stbi_write_jpg((name + ".jpg").c_str(), 28, 28, 1, bytes.data(), 95) != 0;
    if (i == 5) {
      std::ofstream out(name + ".pgm", std::ios::binary);
      out << "P5\n28 28\n255\n";
      out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
      ok = bool(out);
    }
    if (!ok) throw std::runtime_error("cannot write " + name);
    std::cout << "test-" << i << ": label " << test.labels[i] << "\n";
  }
  std::ofstream(dir / "notes.png") << "not an image\n";
  tn::Model<tn::Sequential<tn::Input<1, 32, 32>, tn::Flatten, tn::Dense<10>>> other;
  tn::save_weights(other, dir / "other.safetensors",
                   {{"normalizer.mean", "0.3"}, {"normalizer.stddev", "0.3"}, {"pad", "2"}});
  tn::Model<tn::models::LeNet5<10>> bare;
  tn::save_weights(bare, dir / "bare.safetensors");
  return 0;
} catch (const std::exception& error) {
  std::cerr << "predict_fixtures: " << error.what() << "\n";
  return 1;
}
