// MaxPool2D<Kernel<KH, KW>, Stride<SH, SW>, Pad<PH, PW>, Floor | Ceil> and AvgPool2D<...>.
//
// Input C x H x W, output C x OH x OW with OH = (H + 2*PH - KH) / SH + 1 (and the same along
// W), exact by default; tn::Floor floors it, tn::Ceil adds a last partial window (PyTorch's
// ceil_mode). The stride defaults to the kernel (non-overlapping windows); pad <= kernel/2.
// No parameters. AvgPool2D divides by the window's positions inside the padded input
// (PyTorch's count_include_pad=True).
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

// The options of MaxPool2D<Options...> and AvgPool2D<Options...>.
template <class Layer, class Spec, class... Options>
struct pool2d_options {
 private:
  using allowed = boost::mp11::mp_list<kernel_option, stride_option, pad_option, rounding_option>;
  using rules = detail::option_rules<allowed, Options...>;
  static constexpr bool known = rules::known;
  static constexpr bool unique = rules::unique;
  static constexpr bool kernel = rules::kernel;

 public:
  static constexpr bool value = known && unique && kernel;
  struct report {
    static_assert(known,
                  "MaxPool2D/AvgPool2D<Options...> take as options only tn::Kernel<...>, "
                  "tn::Stride<...>, tn::Pad<...> and a rounding policy (tn::Floor or tn::Ceil)");
    static_assert(unique, "MaxPool2D/AvgPool2D<Options...> require each option at most once");
    static_assert(kernel,
                  "MaxPool2D/AvgPool2D<Options...> require a window size: add tn::Kernel<K>");
    static constexpr bool reported = true;
  };
};

}  // namespace diag

namespace detail {

// Max and average pooling share their shape rules; Kind only tells them apart.
template <class Kind, class... Options>
struct Pool2D {
  using kernel = option_or<Kernel<1>, Options...>;
  using stride = option_or<Stride<kernel::height, kernel::width>, Options...>;
  using pad = option_or<Pad<0>, Options...>;
  using rounding = option_or<Strict, Options...>;

  template <class In, std::size_t I, class Spec>
  struct check_as {
   private:
    using layer = diag::layer<I>;
    using input = diag::input_t<In>;
    using options = diag::pool2d_options<layer, Spec, Options...>;
    using image = diag::requires_image_input<layer, Spec, input, options::value>;
    using height =
        diag::window_fits<layer, Spec, diag::axis<'H'>, input, diag::pad<pad::height>,
                          diag::kernel<kernel::height>, diag::dilation<1>,
                          diag::stride<stride::height>, rounding, diag::pool_padding, image::value>;
    using width =
        diag::window_fits<layer, Spec, diag::axis<'W'>, input, diag::pad<pad::width>,
                          diag::kernel<kernel::width>, diag::dilation<1>,
                          diag::stride<stride::width>, rounding, diag::pool_padding, height::value>;
    // Runs the reports (see spec/detail/checks.hpp).
    static_assert(options::report::reported && image::report::reported &&
                  height::report::reported && width::report::reported);

   public:
    static constexpr bool value = width::value;
  };

  // The window on input In (for an In that passed check).
  template <class In>
  static constexpr Window2D geometry{
      In::dims[0],
      In::dims[1],
      In::dims[2],
      window_output<rounding>({In::dims[1], kernel::height, stride::height, pad::height, 1}),
      window_output<rounding>({In::dims[2], kernel::width, stride::width, pad::width, 1}),
      kernel::height,
      kernel::width,
      stride::height,
      stride::width,
      pad::height,
      pad::width};

  template <class In>
  struct shapes {
    using output = Shape<In::dims[0], geometry<In>.out_height, geometry<In>.out_width>;
    using parameters = boost::mp11::mp_list<>;
    static constexpr std::size_t macs = 0;
  };

  static std::string describe(const char* kind) {
    std::string text = std::string(kind) + "(" + window(kernel::height, kernel::width);
    if (stride::height != kernel::height || stride::width != kernel::width)
      text += ", stride " + axes(stride::height, stride::width);
    if (pad::height != 0 || pad::width != 0) text += ", pad " + axes(pad::height, pad::width);
    if (std::is_same_v<rounding, Floor>) text += ", floor";
    if (std::is_same_v<rounding, Ceil>) text += ", ceil";
    return text + ")";
  }
};

struct max_pool;
struct avg_pool;

}  // namespace detail

template <class... Options>
struct MaxPool2D : detail::Pool2D<detail::max_pool, Options...> {
  template <class In, std::size_t I>
  using check =
      typename detail::Pool2D<detail::max_pool, Options...>::template check_as<In, I, MaxPool2D>;
  static std::string name() { return MaxPool2D::describe("MaxPool2D"); }
};

template <class... Options>
struct AvgPool2D : detail::Pool2D<detail::avg_pool, Options...> {
  template <class In, std::size_t I>
  using check =
      typename detail::Pool2D<detail::avg_pool, Options...>::template check_as<In, I, AvgPool2D>;
  static std::string name() { return AvgPool2D::describe("AvgPool2D"); }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
