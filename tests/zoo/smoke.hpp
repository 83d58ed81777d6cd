// One training step of a zoo model at batch 1 on its real input size: every parameter tensor gets
// a gradient from the loss, and everything stays finite. Then a second step and an inference
// allocate nothing (the program counts allocations: tests/allocation/counter.hpp). Last, the
// weights go through a weight file and back bitwise, under unique state_dict names.
#pragma once

#include <unistd.h>
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <random>
#include <span>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#include "../allocation/counter.hpp"

namespace zoo {

namespace tn = typenet;

// Saves the weights, changes every parameter and running statistic, loads them back: all
// equal bitwise, every tensor loaded under a unique name.
template <class Net>
void weights_round_trip(tn::Model<Net>& model) {
  auto names = tn::state_dict_names<Net>();
  std::sort(names.begin(), names.end());
  CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
  const auto state = [&] {
    std::vector<float> all;
    for (auto* p : model.all_parameters())
      all.insert(all.end(), p->value.data(), p->value.data() + p->size());
    for (auto* b : model.network().state_buffers())
      all.insert(all.end(), b->data(), b->data() + b->size());
    return all;
  };
  const auto before = state();
  // In memory where the system has it: the VGGs' files are over 500 MB.
  const auto dir = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                       : std::filesystem::temp_directory_path();
  const auto path = dir / ("typenet-zoo-" + std::to_string(::getpid()) + ".safetensors");
  tn::save_weights(model, path);
  for (auto* p : model.all_parameters())
    for (std::size_t i = 0; i < p->size(); ++i) p->value[i] += 1;
  for (auto* b : model.network().state_buffers())
    for (std::size_t i = 0; i < b->size(); ++i) (*b)[i] -= 1;
  const auto report = tn::load_weights(model, path);
  std::filesystem::remove(path);
  CHECK(report.loaded.size() == names.size());
  CHECK(state() == before);
}

template <class Net>
void smoke_step() {
  tn::Model<Net> model{tn::init::He{}, 1, 1};
  std::size_t count = 0;
  for (auto* p : model.all_parameters()) count += p->size();
  REQUIRE(count == Net::parameter_count);

  tn::Tensor<float, typename Net::input_type> x(1);
  std::mt19937_64 rng(2);
  std::normal_distribution<float> g(0, 1);
  for (auto& v : x.span()) v = g(rng);

  tn::optim::SGD sgd{{.lr = 1e-3}};
  tn::Tensor<float, typename Net::output_type> target(1);
  for (auto& v : target.span()) v = g(rng);
  const std::array<int, 1> label{3};
  const auto step = [&] {
    if constexpr (Net::output_type::rank == 1)
      return model.train_step(x, std::span<const int>(label), tn::loss::SoftmaxCrossEntropy{}, sgd,
                              1e-3);
    else
      return model.train_step(x, target, tn::loss::MSE{}, sgd, 1e-3);
  };
  REQUIRE(std::isfinite(step()));
  const auto again = [&] {
    step();
    model.predict(x);
  };
  // One assertion per tensor: per-element assertions would dominate the run time.
  for (auto* p : model.all_parameters()) {
    std::size_t nonfinite = 0, nonzero = 0;
    for (std::size_t i = 0; i < p->size(); ++i) {
      nonfinite += !std::isfinite(p->value[i]) || !std::isfinite(p->gradient[i]);
      nonzero += p->gradient[i] != 0;
    }
    INFO("layer " << p->layer << " " << p->name() << " (" << p->size() << " values)");
    REQUIRE(nonfinite == 0);
    CHECK(nonzero > 0);
  }
  const long allocations = allocation::during(again);
  CHECK(allocations == 0);
  weights_round_trip(model);
}

}  // namespace zoo
