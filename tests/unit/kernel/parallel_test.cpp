// The thread pool: an exception inside a parallel region.
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <random>
#include <typenet/kernel/parallel.hpp>
#include <typenet/typenet.hpp>

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
