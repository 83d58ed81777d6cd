// ConvTranspose2D<Out, Kernel<KH, KW>, Stride<SH, SW>, Pad<PH, PW>, OutputPad<AH, AW>,
//                 Dilation<DH, DW>, Bias<bool>>
//
// The adjoint of a convolution (U-Net's "up-conv"): input C x H x W, output Out x OH x OW with
//   OH = (H - 1)*SH - 2*PH + DH*(KH-1) + 1 + AH
// (and the same along W), as PyTorch's ConvTranspose2d. Stricter than PyTorch in two ways: pad
// must stay below the kernel's footprint dilation*(kernel-1) + 1, since more crops away outputs
// that whole kernel taps produced; and output pad below the stride (PyTorch also allows it
// below the dilation), so that the convolution it is the adjoint of maps OH back to exactly H.
// Parameters: weight C x Out x KH x KW (PyTorch's layout) and, unless Bias<false>, a bias of Out.
// MACs: every input element meets every kernel tap of every output channel, C*H*W * Out*KH*KW.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <boost/mp11/list.hpp>
#include <cstddef>
#include <string>
#include <type_traits>

#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/geometry.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/bind.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/detail/describe.hpp"
#include "typenet/spec/options.hpp"

namespace typenet {

namespace diag {

template <class Layer, class Spec, class... Options>
struct conv_transpose2d_options {
 private:
  using allowed = boost::mp11::mp_list<kernel_option, stride_option, pad_option, output_pad_option,
                                       dilation_option, bias_option>;
  using rules = detail::option_rules<allowed, Options...>;

 public:
  static constexpr bool value = rules::known && rules::unique && rules::kernel;
  struct report {
    static_assert(rules::known,
                  "ConvTranspose2D<Out, Options...> takes as options only tn::Kernel<...>, "
                  "tn::Stride<...>, tn::Pad<...>, tn::OutputPad<...>, tn::Dilation<...> and "
                  "tn::Bias<bool>");
    static_assert(rules::unique,
                  "ConvTranspose2D<Out, Options...> requires each option at most once");
    static_assert(rules::kernel,
                  "ConvTranspose2D<Out, Options...> requires a kernel size: add tn::Kernel<K>");
    static constexpr bool reported = true;
  };
};

// Along one axis: (H - 1)*stride + dilation*(kernel-1) + 1 - 2*pad + output_pad outputs.
template <class Layer, class Spec, class Axis, class Input, class OutChannels, class Pad,
          class OutputPad, class Kernel, class Dilation, class Stride, bool Enabled>
struct transposed_window_fits {
 private:
  static constexpr std::size_t H = dim_of<Input, Axis::index>;
  static constexpr std::size_t K = Kernel::value, S = Stride::value, P = Pad::value,
                               A = OutputPad::value, D = Dilation::value;
  static constexpr bool positive = OutChannels::value > 0 && K > 0 && S > 0 && D > 0;
  static constexpr bool pad_ok = !positive || P < D * (K - 1) + 1;
  static constexpr bool output_pad_ok = !positive || A < S;
  static constexpr bool nonempty =
      !positive || !pad_ok || (H - 1) * S + D * (K - 1) + 1 + A > 2 * P;

 public:
  static constexpr bool value = Enabled && positive && pad_ok && output_pad_ok && nonempty;
  struct report {
    static_assert(!Enabled || positive,
                  "ConvTranspose2D<Out, ...> requires Out >= 1 and Kernel, Stride and Dilation "
                  ">= 1");
    static_assert(!Enabled || pad_ok,
                  "ConvTranspose2D requires pad < dilation*(kernel-1) + 1: its padding crops the "
                  "output, and more would crop away whole kernel footprints; reduce Pad<...>");
    static_assert(!Enabled || output_pad_ok,
                  "ConvTranspose2D requires output pad < stride: a stride-S convolution maps S "
                  "sizes to one, and OutputPad<...> picks one of those S; reduce OutputPad<...>");
    static_assert(!Enabled || nonempty,
                  "ConvTranspose2D's output would be empty: it requires "
                  "(H - 1)*stride + dilation*(kernel-1) + 1 + output pad > 2*pad (and the same "
                  "along W)");
    static constexpr bool reported = true;
  };
};

}  // namespace diag

template <std::size_t Out, class... Options>
struct ConvTranspose2D {
  static constexpr std::size_t out_channels = Out;
  using kernel = detail::option_or<Kernel<1>, Options...>;
  using stride = detail::option_or<Stride<1>, Options...>;
  using pad = detail::option_or<Pad<0>, Options...>;
  using output_pad = detail::option_or<OutputPad<0>, Options...>;
  using dilation = detail::option_or<Dilation<1>, Options...>;
  static constexpr bool bias = detail::option_or<Bias<true>, Options...>::value;

  template <class In, std::size_t I>
  struct check {
   private:
    using layer = diag::layer<I>;
    using input = diag::input_t<In>;
    using options = diag::conv_transpose2d_options<layer, ConvTranspose2D, Options...>;
    using image = diag::requires_image_input<layer, ConvTranspose2D, input, options::value>;
    using height = diag::transposed_window_fits<
        layer, ConvTranspose2D, diag::axis<'H'>, input, diag::out_channels<Out>,
        diag::pad<pad::height>, diag::output_pad<output_pad::height>, diag::kernel<kernel::height>,
        diag::dilation<dilation::height>, diag::stride<stride::height>, image::value>;
    using width = diag::transposed_window_fits<
        layer, ConvTranspose2D, diag::axis<'W'>, input, diag::out_channels<Out>,
        diag::pad<pad::width>, diag::output_pad<output_pad::width>, diag::kernel<kernel::width>,
        diag::dilation<dilation::width>, diag::stride<stride::width>, height::value>;
    static_assert(options::report::reported && image::report::reported &&
                  height::report::reported && width::report::reported);

   public:
    static constexpr bool value = width::value;
  };

  // The convolution this layer is the adjoint of, on input In: it maps Out x OH x OW back to
  // C x H x W with the same weight (one group), OH = (H - 1)*SH - 2*PH + DH*(KH-1) + 1 + AH.
  template <class In>
  static constexpr Conv2DGeometry adjoint{
      {Out,
       (In::dims[1] - 1) * stride::height + dilation::height*(kernel::height - 1) + 1 +
           output_pad::height - 2 * pad::height,
       (In::dims[2] - 1) * stride::width + dilation::width*(kernel::width - 1) + 1 +
           output_pad::width - 2 * pad::width,
       In::dims[1], In::dims[2], kernel::height, kernel::width, stride::height, stride::width,
       pad::height, pad::width, dilation::height, dilation::width},
      In::dims[0],
      1};

  template <class In>
  struct shapes {
    static constexpr Window2D window = adjoint<In>.window;
    using output = Shape<Out, window.height, window.width>;
    using weight = Shape<In::dims[0], Out, kernel::height, kernel::width>;
    using parameters = std::conditional_t<bias, boost::mp11::mp_list<weight, Shape<Out>>,
                                          boost::mp11::mp_list<weight>>;
    static constexpr std::size_t macs = In::size * Out * kernel::height * kernel::width;
  };

  static std::string name() {
    std::string text = "ConvTranspose2D(" + std::to_string(Out) + ", " +
                       detail::window(kernel::height, kernel::width);
    if (stride::height != 1 || stride::width != 1)
      text += ", stride " + detail::axes(stride::height, stride::width);
    if (pad::height != 0 || pad::width != 0)
      text += ", pad " + detail::axes(pad::height, pad::width);
    if (output_pad::height != 0 || output_pad::width != 0)
      text += ", output pad " + detail::axes(output_pad::height, output_pad::width);
    if (dilation::height != 1 || dilation::width != 1)
      text += ", dilation " + detail::axes(dilation::height, dilation::width);
    if (!bias) text += ", no bias";
    return text + ")";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
