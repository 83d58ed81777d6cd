// Conv2D<Out, Kernel<KH, KW>, Stride<SH, SW>, Pad<PH, PW>, Dilation<DH, DW>, Groups<G>,
//        Bias<bool>, Floor>
//
// Input C x H x W, output Out x OH x OW with (and the same along W)
//   OH = (H + 2*PH - DH*(KH-1) - 1) / SH + 1
// exact by default (tn::Floor floors it, as PyTorch does). Parameters: weight
// Out x C/G x KH x KW and, unless Bias<false>, a bias of Out. Defaults: stride 1, pad 0,
// dilation 1, one group, with bias. MACs: Out*OH*OW * C/G*KH*KW.
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
#include "typenet/shape/window.hpp"
#include "typenet/spec/bind.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/detail/describe.hpp"
#include "typenet/spec/detail/window_check.hpp"
#include "typenet/spec/options.hpp"

namespace typenet {

namespace diag {

template <class Layer, class Spec, class Input, class OutChannels, class Groups, bool Enabled>
struct conv2d_channels {
 private:
  static constexpr std::size_t C = dim_of<Input, 0>;
  static constexpr std::size_t Out = OutChannels::value;
  static constexpr std::size_t G = Groups::value;

 public:
  static constexpr bool value = Enabled && Out > 0 && G > 0 && C % G == 0 && Out % G == 0;
  struct report {
    static_assert(!Enabled || Out > 0, "Conv2D<Out, ...> requires Out >= 1 output channels");
    static_assert(!Enabled || Out == 0 || G > 0, "Conv2D<..., Groups<G>> requires G >= 1");
    static_assert(!Enabled || Out == 0 || G == 0 || C % G == 0,
                  "Conv2D<..., Groups<G>> requires G to divide the input channels C (the first "
                  "number of input<C, H, W>)");
    static_assert(!Enabled || Out == 0 || G == 0 || C % G != 0 || Out % G == 0,
                  "Conv2D<Out, ..., Groups<G>> requires G to divide the output channels Out");
    static constexpr bool reported = true;
  };
};

// The options of Conv2D<Out, Options...>, checked where the layer is bound.
template <class Layer, class Spec, class... Options>
struct conv2d_options {
 private:
  using allowed = boost::mp11::mp_list<kernel_option, stride_option, pad_option, dilation_option,
                                       groups_option, bias_option, rounding_option>;
  using rules = detail::option_rules<allowed, Options...>;
  static constexpr bool known = rules::known;
  static constexpr bool unique = rules::unique;
  static constexpr bool kernel = rules::kernel;
  static constexpr bool rounding =
      !known || !unique || !std::is_same_v<detail::option_or<Strict, Options...>, Ceil>;

 public:
  static constexpr bool value = known && unique && kernel && rounding;
  struct report {
    static_assert(known,
                  "Conv2D<Out, Options...> takes as options only tn::Kernel<...>, "
                  "tn::Stride<...>, tn::Pad<...>, tn::Dilation<...>, tn::Groups<G>, "
                  "tn::Bias<bool> and a rounding policy (tn::Strict or tn::Floor)");
    static_assert(unique, "Conv2D<Out, Options...> requires each option at most once");
    static_assert(kernel,
                  "Conv2D<Out, Options...> requires a kernel size: add tn::Kernel<K> or "
                  "tn::Kernel<KH, KW>");
    static_assert(rounding,
                  "Conv2D<Out, Options...> does not take tn::Ceil (a window past the padded "
                  "input is a pooling idea); use tn::Floor or pad the input");
    static constexpr bool reported = true;
  };
};

}  // namespace diag

template <std::size_t Out, class... Options>
struct Conv2D {
  static constexpr std::size_t out_channels = Out;
  using kernel = detail::option_or<Kernel<1>, Options...>;
  using stride = detail::option_or<Stride<1>, Options...>;
  using pad = detail::option_or<Pad<0>, Options...>;
  using dilation = detail::option_or<Dilation<1>, Options...>;
  using rounding = detail::option_or<Strict, Options...>;
  static constexpr std::size_t groups = detail::option_or<Groups<1>, Options...>::value;
  static constexpr bool bias = detail::option_or<Bias<true>, Options...>::value;

  template <class In, std::size_t I>
  struct check {
   private:
    using layer = diag::layer<I>;
    using input = diag::input_t<In>;
    using options = diag::conv2d_options<layer, Conv2D, Options...>;
    using image = diag::requires_image_input<layer, Conv2D, input, options::value>;
    using channels = diag::conv2d_channels<layer, Conv2D, input, diag::out_channels<Out>,
                                           diag::groups<groups>, image::value>;
    using height = diag::window_fits<layer, Conv2D, diag::axis<'H'>, input, diag::pad<pad::height>,
                                     diag::kernel<kernel::height>, diag::dilation<dilation::height>,
                                     diag::stride<stride::height>, rounding, diag::conv_padding,
                                     channels::value>;
    using width =
        diag::window_fits<layer, Conv2D, diag::axis<'W'>, input, diag::pad<pad::width>,
                          diag::kernel<kernel::width>, diag::dilation<dilation::width>,
                          diag::stride<stride::width>, rounding, diag::conv_padding, height::value>;
    // Runs the reports: the first rule that failed states itself (see spec/detail/checks.hpp).
    static_assert(options::report::reported && image::report::reported &&
                  channels::report::reported && height::report::reported &&
                  width::report::reported);

   public:
    static constexpr bool value = width::value;
  };

  // The geometry on input In (for an In that passed check): output size, GEMM sizes, fans.
  template <class In>
  static constexpr Conv2DGeometry geometry{
      {In::dims[0], In::dims[1], In::dims[2],
       detail::window_output<rounding>(
           {In::dims[1], kernel::height, stride::height, pad::height, dilation::height}),
       detail::window_output<rounding>(
           {In::dims[2], kernel::width, stride::width, pad::width, dilation::width}),
       kernel::height, kernel::width, stride::height, stride::width, pad::height, pad::width,
       dilation::height, dilation::width},
      Out,
      groups};

  template <class In>
  struct shapes {
    static constexpr Window2D window = geometry<In>.window;
    using output = Shape<Out, window.out_height, window.out_width>;
    using weight = Shape<Out, In::dims[0] / groups, kernel::height, kernel::width>;
    using parameters = std::conditional_t<bias, boost::mp11::mp_list<weight, Shape<Out>>,
                                          boost::mp11::mp_list<weight>>;
    static constexpr std::size_t macs = output::size * geometry<In>.group_in();
  };

  static std::string name() {
    std::string text =
        "Conv2D(" + std::to_string(Out) + ", " + detail::window(kernel::height, kernel::width);
    if (stride::height != 1 || stride::width != 1)
      text += ", stride " + detail::axes(stride::height, stride::width);
    if (pad::height != 0 || pad::width != 0)
      text += ", pad " + detail::axes(pad::height, pad::width);
    if (dilation::height != 1 || dilation::width != 1)
      text += ", dilation " + detail::axes(dilation::height, dilation::width);
    if (groups != 1) text += ", groups " + std::to_string(groups);
    if (!bias) text += ", no bias";
    if (std::is_same_v<rounding, Floor>) text += ", floor";
    return text + ")";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
