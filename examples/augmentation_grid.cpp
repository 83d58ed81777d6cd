// A picture of the augmentations on real Fashion-MNIST test images: one row per augmentation,
// one column per image, every tile the same image through that row's augmentation (each row
// with its own seeded generator, so the picture is the same on every run).
//
//   augmentation_grid [OUTPUT.png] [--samples N] [--zoom Z]
//
// Prints each row's name and the mean absolute change it made to the pixels (values in [0, 1]);
// docs/training.md shows the picture (docs/augmentation-grid.png). --help lists the options with
// their defaults; a wrong one is one line on stderr and exit status 2, any other error one line
// and status 1.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <random>
#include <span>
#include <string>
#include <typenet/data/augment.hpp>
#include <typenet/data/idx.hpp>
#include <typenet/io/atomic_file.hpp>
#include <typenet/io/png.hpp>
#include <vector>

#include "arguments.hpp"

namespace tn = typenet;
namespace aug = tn::data::augment;

namespace {

constexpr std::size_t side = 28;

struct Row {
  const char* name;
  std::function<void(std::span<float>, std::mt19937_64&)> augment;
};

std::vector<Row> rows() {
  return {
      {"original", [](std::span<float>, std::mt19937_64&) {}},
      {"RandomAffine rotation +-30 deg", aug::RandomAffine{side, side, 30, 1, 1}},
      {"RandomAffine stretch 0.7-1.3 per axis, shear +-20 deg",
       aug::RandomAffine{.height = side,
                         .width = side,
                         .degrees = 0,
                         .min_scale = 0.7,
                         .max_scale = 1.3,
                         .per_axis_scale = true,
                         .shear_x = 20,
                         .shear_y = 20}},
      {"RandomAffine translate 15 %", aug::RandomAffine{.height = side,
                                                        .width = side,
                                                        .degrees = 0,
                                                        .min_scale = 1,
                                                        .max_scale = 1,
                                                        .translate_x = 0.15,
                                                        .translate_y = 0.15}},
      {"RandomResizedCrop scale 0.3-1, ratio 3/4-4/3",
       aug::RandomResizedCrop{.height = side, .width = side, .min_scale = 0.3}},
      {"LensDistortion barrel k -0.5..-0.2",
       aug::LensDistortion{.height = side, .width = side, .min_k = -0.5, .max_k = -0.2}},
      {"LensDistortion pincushion k 0.2..0.5",
       aug::LensDistortion{.height = side, .width = side, .min_k = 0.2, .max_k = 0.5}},
      {"ColorJitter brightness 0.5, contrast 0.5",
       aug::ColorJitter{.brightness = 0.5, .contrast = 0.5, .clamp = true}},
      {"Cutout 12 x 12", aug::Cutout{.height = side, .width = side, .size = 12}},
      {"chain: flip, affine, resized crop, jitter, cutout",
       aug::chain(aug::HorizontalFlip{0.5, 1, side, side},
                  aug::RandomAffine{.height = side, .width = side, .degrees = 15, .shear_x = 10},
                  aug::RandomResizedCrop{.height = side, .width = side, .min_scale = 0.6},
                  aug::ColorJitter{.brightness = 0.3, .contrast = 0.3, .clamp = true},
                  aug::Cutout{.height = side, .width = side, .size = 8, .p = 0.5})},
  };
}

}  // namespace

int main(int argc, char** argv) try {
  std::string output = "augmentation-grid.png";
  std::size_t samples = 8, zoom = 2;
  CommandLine app{"Draws every augmentation on Fashion-MNIST test images into a PNG grid",
                  "augmentation_grid"};
  app.add_path("output", output, "the PNG file to write", /*show_default=*/true);
  app.add_count("--samples", samples, "test images, one column each", 1, 100);
  app.add_count("--zoom", zoom, "pixels per image pixel", 1, 16);
  // Both in range, together too wide for a PNG tile grid (32768 pixels a side; each tile is
  // side * zoom pixels and a 2-pixel gap): refused here, not after every row is drawn.
  app.add_check([&] {
    if (samples * (side * zoom + 2) <= 32768) return std::string();
    return "--samples " + std::to_string(samples) + " at --zoom " + std::to_string(zoom) +
           " makes the grid wider than 32768 pixels; take fewer or smaller";
  });
  if (const auto status = app.parse(argc, argv)) return *status;
  tn::io::check_writable(output);  // now, not after the work
  const auto test = tn::data::fashion_mnist().test;
  const auto layout = rows();
  std::vector<tn::io::Pixels> tiles;  // row after row
  for (std::size_t r = 0; r < layout.size(); ++r) {
    std::mt19937_64 rng(1000 + r);
    double change = 0;
    for (std::size_t s = 0; s < samples; ++s) {
      const auto original = test.image(s);
      tn::data::Image image{1, side, side, {original.begin(), original.end()}};
      layout[r].augment(std::span(image.pixels), rng);
      for (std::size_t p = 0; p < image.pixels.size(); ++p)
        change += std::abs(double(image.pixels[p]) - double(original[p]));
      tiles.push_back(tn::io::to_pixels(image));  // [0, 1] to [0, 255], clamped
    }
    std::printf("row %2zu  %-52s mean |change| %.4f\n", r + 1, layout[r].name,
                change / double(samples * side * side));
  }
  const auto grid = tn::io::tile_grid(tiles, samples, zoom, /*gap=*/2, /*background=*/128);
  tn::io::write_png(output, grid);
  const std::size_t width = grid.width, height = grid.height;
  std::cout << "wrote " << output << " (" << width << " x " << height << ", " << layout.size()
            << " rows x " << count_of(samples, "Fashion-MNIST test image") << ")\n";
} catch (const std::exception& e) {
  report_error("augmentation_grid", e.what());
  return 1;
}
