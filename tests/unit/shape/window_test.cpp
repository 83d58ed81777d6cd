// The output-size formulas against a direct count of the windows that slide over the input.
#include <catch2/catch.hpp>
#include <cstddef>
#include <typenet/shape/window.hpp>

namespace {

using typenet::detail::Window;

// Window i covers padded positions [i*stride, i*stride + extent - 1] of the padded input
// [0, input + 2*pad - 1].
std::size_t windows_inside(const Window& w) {
  std::size_t count = 0;
  for (std::size_t start = 0; start + w.extent() <= w.padded(); start += w.stride) ++count;
  return count;
}

// Ceil mode keeps adding windows until the padded input is covered; a window may hang over the
// padded end by less than a stride, but never starts in the right padding (start < input + pad).
std::size_t windows_covering(const Window& w) {
  std::size_t count = 0;
  for (std::size_t start = 0; start < w.input + w.pad && start + w.extent() < w.padded() + w.stride;
       start += w.stride) {
    ++count;
    if (start + w.extent() >= w.padded()) break;
  }
  return count;
}

}  // namespace

TEST_CASE("window output sizes match a direct count of the windows", "[shape]") {
  using typenet::Ceil;
  using typenet::Floor;
  using typenet::Strict;
  using typenet::detail::check_window;
  using typenet::detail::PadLimit;
  using typenet::detail::window_output;
  using Rule = typenet::detail::WindowRule;
  std::size_t checked = 0;
  std::size_t only_ceil = 0;
  for (std::size_t input = 1; input <= 24; ++input)
    for (std::size_t kernel = 1; kernel <= 7; ++kernel)
      for (std::size_t stride = 1; stride <= 4; ++stride)
        for (std::size_t pad = 0; pad <= 3; ++pad)
          for (std::size_t dilation = 1; dilation <= 3; ++dilation) {
            const Window w{input, kernel, stride, pad, dilation};
            // The padding rule does not depend on rounding; its cases are tested elsewhere.
            if (check_window<Floor>(w, PadLimit::below_window) == Rule::pad_too_large) continue;
            INFO("input " << input << " kernel " << kernel << " stride " << stride << " pad " << pad
                          << " dilation " << dilation);
            const std::size_t inside = windows_inside(w);
            const std::size_t covering = windows_covering(w);
            const bool floor_ok = check_window<Floor>(w, PadLimit::below_window) == Rule::ok;
            const bool ceil_ok = check_window<Ceil>(w, PadLimit::below_window) == Rule::ok;
            const bool strict_ok = check_window<Strict>(w, PadLimit::below_window) == Rule::ok;
            REQUIRE(floor_ok == (inside > 0));
            REQUIRE(ceil_ok == (covering > 0));
            // Strict accepts exactly the cases where the last window ends on the padded edge.
            const bool exact = inside > 0 && (inside - 1) * stride + w.extent() == w.padded();
            REQUIRE(strict_ok == exact);
            if (floor_ok) REQUIRE(window_output<Floor>(w) == inside);
            if (strict_ok) REQUIRE(window_output<Strict>(w) == inside);
            if (ceil_ok) REQUIRE(window_output<Ceil>(w) == covering);
            if (ceil_ok && !floor_ok) ++only_ceil;
            ++checked;
          }
  REQUIRE(checked > 1000);
  REQUIRE(only_ceil > 0);  // windows that only fit by hanging over the edge were exercised
}
