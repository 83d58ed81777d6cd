// A zoo model against its torchvision twin: tools/export_torchvision.py writes a seeded,
// randomly initialised torchvision model's state_dict and its eval-mode output for a fixed
// input; the zoo type loads the weights strictly (every name and shape torchvision's) and must
// give the same output within 1e-4 of the output's largest magnitude, in float.
//
// The files are big (VGG-16's is 553 MB), so they are generated at test time, in /dev/shm where
// the system has it, and removed afterwards. These tests are compiled in only when CMake found
// /usr/bin/python3 with torchvision at configure time (TYPENET_TORCHVISION); if it has gone
// since, they fail saying so.
#pragma once

#include <unistd.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

namespace zoo {

namespace tn = typenet;

// The largest |typenet - torchvision| over the largest |torchvision|, of the output of
// torchvision's `model` for a batch of 2.
template <class Net>
double torchvision_difference(const std::string& model) {
  const auto dir = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                       : std::filesystem::temp_directory_path();
  const std::string stem = "typenet-" + model + "-" + std::to_string(::getpid());
  const auto weights = dir / (stem + ".safetensors");
  const auto io = dir / (stem + "-io.safetensors");
  const std::string command = "/usr/bin/python3 " + std::string(TYPENET_SOURCE_DIR) +
                              "/tools/export_torchvision.py " + model + " " + weights.string() +
                              " " + io.string();
  INFO(command);
  INFO(
      "this needs Debian's /usr/bin/python3 with python3-torchvision (scripts/setup test "
      "installs it), as found when CMake configured the build");
  REQUIRE(std::system(command.c_str()) == 0);
  struct Remove {
    std::vector<std::filesystem::path> paths;
    ~Remove() {
      for (const auto& p : paths) std::filesystem::remove(p);
    }
  } remove{{weights, io}};

  auto network = std::make_unique<tn::Network<Net>>(2);
  const auto report = tn::load_weights(*network, weights);  // strict: throws on any difference
  CHECK(report.loaded.size() == tn::state_dict_names<Net>().size());
  const auto file = tn::io::Safetensors::read(io);
  const auto* input = file.find("input");
  const auto* output = file.find("output");
  REQUIRE(input != nullptr);
  REQUIRE(output != nullptr);
  tn::Tensor<float, typename Net::input_type> x(2);
  x.set_batch(2);
  REQUIRE(input->elements() == x.size());
  file.copy_to(*input, x.span());
  std::vector<float> expected(output->elements());
  file.copy_to(*output, expected);
  const auto& y = network->forward(x, tn::Mode::eval);
  REQUIRE(y.size() == expected.size());
  double difference = 0, largest = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    difference = std::max(difference, std::abs(double(y[i]) - double(expected[i])));
    largest = std::max(largest, std::abs(double(expected[i])));
  }
  REQUIRE(largest > 0);
  const double relative = difference / largest;
  std::cout << model << ": max |typenet - torchvision| / max |torchvision| = " << relative
            << " (largest output " << largest << ")\n";
  return relative;
}

}  // namespace zoo
