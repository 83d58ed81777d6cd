// The geometry of a convolution or pooling layer, derived once from its spec and input shape
// (Conv2D::geometry<In>, ConvTranspose2D::adjoint<In>, MaxPool2D/AvgPool2D::geometry<In>) and used
// alike by the shape rules, the layer (parameter sizes, fans) and the kernel (loop bounds, GEMM
// sizes, scratch). Sizes in scalars; layout NCHW, weights as PyTorch stores them.
#pragma once

#include <cstddef>

namespace typenet {

// A sliding window over a C x H x W input (convolution and pooling).
struct Window2D {
  std::size_t channels, height, width;  // input
  std::size_t out_height, out_width;    // output, as the shape rules computed
  std::size_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w;
  std::size_t dilation_h = 1, dilation_w = 1;

  constexpr std::size_t in_plane() const { return height * width; }
  constexpr std::size_t out_plane() const { return out_height * out_width; }
  constexpr std::size_t taps() const { return kernel_h * kernel_w; }
};

// A convolution C x H x W -> out_channels x OH x OW in `groups` groups. Its GEMMs per sample and
// group: weight (group_out x group_in) times im2col columns (group_in x out_plane).
struct Conv2DGeometry {
  Window2D window;
  std::size_t out_channels;
  std::size_t groups = 1;

  // A 1x1, stride-1, unpadded convolution multiplies the input itself: no im2col.
  constexpr bool is_pointwise() const {
    return window.kernel_h == 1 && window.kernel_w == 1 && window.stride_h == 1 &&
           window.stride_w == 1 && window.pad_h == 0 && window.pad_w == 0;
  }
  constexpr std::size_t group_out() const { return out_channels / groups; }
  // Rows of a group's im2col matrix: its input channels times the kernel taps.
  constexpr std::size_t group_in() const { return window.channels / groups * window.taps(); }
  constexpr std::size_t in_size() const { return window.channels * window.in_plane(); }
  constexpr std::size_t out_size() const { return out_channels * window.out_plane(); }
  // The im2col buffer for one sample (0 for the 1x1 path, which needs none).
  constexpr std::size_t column_size() const {
    return is_pointwise() ? 0 : window.channels * window.taps() * window.out_plane();
  }
  // Out x C/groups x KH x KW.
  constexpr std::size_t weight_size() const { return out_channels * group_in(); }
  // PyTorch's fans of the weight (torch.nn.init._calculate_fan_in_and_fan_out).
  constexpr std::size_t fan_in() const { return group_in(); }
  constexpr std::size_t fan_out() const { return group_out() * window.taps(); }
  // Per thread: the im2col buffer, then a partial weight gradient.
  constexpr std::size_t scratch_size() const { return column_size() + weight_size(); }
};

}  // namespace typenet
