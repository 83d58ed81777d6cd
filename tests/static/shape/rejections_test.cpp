// The rules behind the diagnostics, checked as values: each mistake is classified as the rule
// that the compile_fail tests expect to see in words.
#include <typenet/shape/window.hpp>

namespace {

using typenet::Ceil;
using typenet::Floor;
using typenet::Strict;
using typenet::detail::check_window;
using typenet::detail::PadLimit;
using typenet::detail::Window;
using typenet::detail::window_output;
using Rule = typenet::detail::WindowRule;

constexpr auto conv = PadLimit::below_window;
constexpr auto pool = PadLimit::half_window;

// {input, kernel, stride, pad, dilation}
static_assert(check_window<Strict>(Window{7, 3, 3, 0, 1}, conv) == Rule::stride_does_not_tile);
static_assert(check_window<Floor>(Window{7, 3, 3, 0, 1}, conv) == Rule::ok);
static_assert(window_output<Floor>(Window{7, 3, 3, 0, 1}) == 2);
static_assert(window_output<Ceil>(Window{7, 3, 3, 0, 1}) == 3);
static_assert(check_window<Strict>(Window{7, 0, 1, 0, 1}, conv) == Rule::zero_kernel);
static_assert(check_window<Strict>(Window{7, 3, 0, 0, 1}, conv) == Rule::zero_stride);
static_assert(check_window<Strict>(Window{7, 3, 1, 0, 0}, conv) == Rule::zero_dilation);
// Padding: a conv may pad less than its window, a pool at most half of it.
static_assert(check_window<Strict>(Window{7, 3, 1, 3, 1}, conv) == Rule::pad_too_large);
static_assert(check_window<Strict>(Window{7, 3, 1, 2, 1}, conv) == Rule::ok);
static_assert(check_window<Strict>(Window{7, 3, 1, 2, 1}, pool) == Rule::pad_too_large);
static_assert(check_window<Strict>(Window{7, 3, 1, 1, 1}, pool) == Rule::ok);
// Dilation widens the window: 3 taps at dilation 4 span 9 > 7.
static_assert(check_window<Strict>(Window{7, 3, 1, 0, 4}, conv) == Rule::window_larger_than_input);
static_assert(check_window<Floor>(Window{7, 3, 1, 0, 4}, conv) == Rule::window_larger_than_input);
static_assert(check_window<Strict>(Window{7, 3, 1, 1, 4}, conv) == Rule::ok);  // 7 + 2 = 9
static_assert(check_window<Strict>(Window{2, 3, 2, 0, 1}, pool) == Rule::window_larger_than_input);

}  // namespace
