// Sliding-window arithmetic shared by convolution and pooling, along one axis.
//
//   out = (in + 2*pad - dilation*(kernel-1) - 1) / stride + 1
//
// Strict (the default) requires the division to be exact: every input row is covered by the
// windows the same way, which is what the lecture's formula (N - F) / stride + 1 assumes.
// Floor drops the rows the last window cannot reach (PyTorch's default); Ceil adds a last,
// partial window (PyTorch's ceil_mode=True, used by GoogLeNet's pools).
#pragma once

#include <cstddef>
#include <type_traits>

namespace typenet {

struct Strict {
  using option_kind = struct rounding_option;
};
struct Floor {
  using option_kind = struct rounding_option;
};
struct Ceil {
  using option_kind = struct rounding_option;
};

namespace detail {

enum class WindowRule {
  ok,
  zero_kernel,
  zero_stride,
  zero_dilation,
  pad_too_large,
  window_larger_than_input,
  stride_does_not_tile,
};

// How much padding a layer tolerates: a convolution less than its (dilated) window, so that
// the first and last windows reach into the input (with dilation their taps may still all land
// in the padding: the rule catches the typical typo, Pad<K> for Pad<K/2>, not every waste); a
// pooling layer at most half its window (PyTorch's rule), so that no window lies mostly in the
// padding.
enum class PadLimit { below_window, half_window };

struct Window {
  std::size_t input;
  std::size_t kernel;
  std::size_t stride;
  std::size_t pad;
  std::size_t dilation;

  constexpr std::size_t extent() const { return dilation * (kernel - 1) + 1; }
  constexpr std::size_t padded() const { return input + 2 * pad; }
};

template <class Rounding>
constexpr WindowRule check_window(Window w, PadLimit limit) {
  if (w.kernel == 0) return WindowRule::zero_kernel;
  if (w.stride == 0) return WindowRule::zero_stride;
  if (w.dilation == 0) return WindowRule::zero_dilation;
  if (limit == PadLimit::below_window ? w.pad >= w.extent() : 2 * w.pad > w.extent())
    return WindowRule::pad_too_large;
  // Ceil lets the last window hang over the padded end by less than a stride (PyTorch's
  // ceil_mode), so a window up to stride-1 larger than the padded input still yields one output.
  const std::size_t overhang = std::is_same_v<Rounding, Ceil> ? w.stride - 1 : 0;
  if (w.extent() > w.padded() + overhang) return WindowRule::window_larger_than_input;
  if (std::is_same_v<Rounding, Strict> && (w.padded() - w.extent()) % w.stride != 0)
    return WindowRule::stride_does_not_tile;
  return WindowRule::ok;
}

// Only meaningful once check_window returned ok.
template <class Rounding>
constexpr std::size_t window_output(Window w) {
  if constexpr (std::is_same_v<Rounding, Ceil>) {
    std::size_t out = (w.padded() + w.stride - 1 - w.extent()) / w.stride + 1;
    // The last window must start inside the input or its left padding (as PyTorch does).
    if ((out - 1) * w.stride >= w.input + w.pad) --out;
    return out;
  } else {
    return (w.padded() - w.extent()) / w.stride + 1;
  }
}

}  // namespace detail
}  // namespace typenet
