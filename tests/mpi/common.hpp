// What the MPI test programs share: the failure count, a synthetic dataset, a model's values
// and the check that every rank holds the same bits.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <random>
#include <span>
#include <string>
#include <typenet/dist/mpi.hpp>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {

int failures = 0;
void expect(bool condition, const std::string& what) {
  if (!condition) {
    std::cerr << "rank " << tn::mpi::world().rank() << ": FAILED: " << what << "\n";
    ++failures;
  }
}

// 1280 random 1x8x8 samples of 4 classes whose label depends on the image, the same on every
// rank (the seed).
tn::data::Dataset synthetic(std::size_t count = 1280) {
  std::mt19937_64 rng(2024);
  std::normal_distribution<float> normal;
  std::vector<float> images(count * 64);
  std::vector<int> labels(count);
  for (std::size_t i = 0; i < count; ++i) {
    float quadrant[4] = {0, 0, 0, 0};
    for (std::size_t k = 0; k < 64; ++k) {
      const float v = normal(rng);
      images[i * 64 + k] = v;
      quadrant[(k / 8 >= 4) * 2 + (k % 8 >= 4)] += v;
    }
    labels[i] = int(std::max_element(quadrant, quadrant + 4) - quadrant);
  }
  return tn::data::Dataset::from_arrays(std::move(images), std::move(labels), 1, 8, 8, 4);
}

// Every parameter and running statistic, in order.
template <class Net, class T>
std::vector<T> flat(tn::Model<Net, T>& model) {
  std::vector<T> all;
  for (auto* p : model.all_parameters())
    all.insert(all.end(), p->value.data(), p->value.data() + p->size());
  for (auto* b : model.network().state_buffers())
    all.insert(all.end(), b->data(), b->data() + b->size());
  return all;
}

// Rank 1's values equal rank 0's bit for bit.
template <class T>
bool same_on_all_ranks(std::vector<T> values) {
  auto& world = tn::mpi::world();
  std::vector<T> other = values;
  world.broadcast(std::span(other), 1);
  std::int64_t same = std::memcmp(other.data(), values.data(), values.size() * sizeof(T)) == 0;
  world.allreduce_sum(std::span(&same, 1));
  return same == std::int64_t(world.size());
}

}  // namespace
