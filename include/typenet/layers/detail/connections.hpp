// The connections of the weight layers Shakeout and Whiteout wrap, seen alike: a Dense<N> is a
// convolution of N output channels, 1 position and 1 tap over In inputs. Weight i is row o (an
// output channel), input channel c of that row and tap k, laid out [o][c][k] (PyTorch's Linear
// and Conv2d layouts); the output is [o][p] per sample, p an output position.
#pragma once
#include "typenet/detail/internal_header.hpp"

#include <cstddef>

#include "typenet/shape/geometry.hpp"
#include "typenet/spec/conv2d.hpp"
#include "typenet/spec/dense.hpp"

namespace typenet::detail {

template <class Inner, class In>
struct connections;

template <std::size_t N, class... Options, class In>
struct connections<Dense<N, Options...>, In> {
  static constexpr std::size_t rows = N;
  static constexpr std::size_t channels = In::dims[0];  // the input units one row reads
  static constexpr std::size_t taps = 1;
  static constexpr std::size_t positions = 1;
  static constexpr std::size_t inputs = In::dims[0];  // input units (Shakeout's j)
  // The input unit weight i reads.
  static constexpr std::size_t input_of(std::size_t i) { return i % inputs; }
  static constexpr bool reaches(std::size_t, std::size_t) { return true; }
};

template <std::size_t Out, class... Options, class In>
struct connections<Conv2D<Out, Options...>, In> {
 private:
  static constexpr Conv2DGeometry geometry = Conv2D<Out, Options...>::template geometry<In>;
  static constexpr Window2D window = geometry.window;

 public:
  static constexpr std::size_t rows = Out;
  static constexpr std::size_t channels = window.channels / geometry.groups;
  static constexpr std::size_t taps = window.taps();
  static constexpr std::size_t positions = window.out_plane();
  static constexpr std::size_t inputs = window.channels;  // input channels (feature maps)
  // The input channel weight i reads: row o's group g reads channels g*channels on. Never more
  // than i (Shakeout fills its factors in place from the end, relying on it).
  static constexpr std::size_t input_of(std::size_t i) {
    const std::size_t o = i / (channels * taps);
    return o / geometry.group_out() * channels + i / taps % channels;
  }
  // Whether tap k of output position p lands on the input rather than on its zero padding:
  // padding is no input unit, so it has no connection.
  static constexpr bool reaches(std::size_t p, std::size_t k) {
    const std::size_t row =
        p / window.out_width * window.stride_h + k / window.kernel_w * window.dilation_h;
    const std::size_t column =
        p % window.out_width * window.stride_w + k % window.kernel_w * window.dilation_w;
    return row >= window.pad_h && row < window.pad_h + window.height && column >= window.pad_w &&
           column < window.pad_w + window.width;
  }
};

}  // namespace typenet::detail
