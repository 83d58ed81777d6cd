// The thread pool: an exception inside a parallel region; regions back to back and after a pause.
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <thread>
#include <typenet/kernel/parallel.hpp>
#include <typenet/typenet.hpp>
#include <vector>

#include "../gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

TEST_CASE("An exception inside a parallel region reaches the caller, and the pool stays usable",
          "[threads]") {
  const std::size_t saved = tn::threads();
  tn::set_threads(tn::max_threads());
  for (std::size_t thrower = 0; thrower < tn::max_threads(); ++thrower) {
    REQUIRE_THROWS_WITH(tn::kernel::parallel_for(8,
                                                 [&](std::size_t, std::size_t, std::size_t chunk) {
                                                   if (chunk == thrower)
                                                     throw std::runtime_error("chunk failed");
                                                 }),
                        "chunk failed");
  }
  std::atomic<std::size_t> covered{0};
  tn::kernel::parallel_for(
      100, [&](std::size_t begin, std::size_t end, std::size_t) { covered += end - begin; });
  REQUIRE(covered == 100);
  tn::set_threads(saved);
}

// The pool's threads poll for a while after a region before they sleep (src/kernel/parallel.cpp):
// regions back to back meet polling workers, regions a few milliseconds apart sleeping ones.
// Every chunk must run exactly once either way, and the caller must see every chunk's writes.
TEST_CASE("Parallel regions back to back and after a pause run every chunk once", "[threads]") {
  const std::size_t saved = tn::threads();
  tn::set_threads(tn::max_threads());
  std::vector<std::size_t> hits(64);
  for (std::size_t region = 0; region < 2000; ++region) {
    // Plain writes, one slot per index: only the pool's own synchronisation makes them visible.
    tn::kernel::parallel_for(hits.size(), [&](std::size_t begin, std::size_t end, std::size_t) {
      for (std::size_t i = begin; i < end; ++i) ++hits[i];
    });
    if (region % 500 == 499) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (std::size_t i = 0; i < hits.size(); ++i) {
    INFO("index " << i);
    REQUIRE(hits[i] == 2000);
  }
  tn::set_threads(saved);
}
