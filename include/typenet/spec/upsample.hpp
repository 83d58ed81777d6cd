// Upsample<Scale<SH, SW>, Nearest | Bilinear>: C x H x W -> C x SH*H x SW*W. Nearest (the
// default) repeats each pixel, Bilinear interpolates with half-pixel centres (PyTorch's
// Upsample with align_corners=False). Scale defaults to 2. No parameters, no multiply-accumulates.
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
#include "typenet/shape/shape.hpp"
#include "typenet/spec/bind.hpp"
#include "typenet/spec/detail/checks.hpp"
#include "typenet/spec/detail/describe.hpp"
#include "typenet/spec/options.hpp"

namespace typenet {

namespace diag {

template <class Layer, class Spec, class ScaleH, class ScaleW, class... Options>
struct upsample_options {
 private:
  using allowed = boost::mp11::mp_list<scale_option, interpolation_option>;
  static constexpr bool known = detail::options_are_allowed<allowed, Options...>();
  static constexpr bool unique = !known || detail::options_are_unique<Options...>();
  static constexpr bool positive = !known || !unique || (ScaleH::value > 0 && ScaleW::value > 0);

 public:
  static constexpr bool value = known && unique && positive;
  struct report {
    static_assert(known,
                  "Upsample<Options...> takes as options only tn::Scale<SH, SW> and an "
                  "interpolation (tn::Nearest or tn::Bilinear)");
    static_assert(unique, "Upsample<Options...> requires each option at most once");
    static_assert(positive, "Upsample<Scale<SH, SW>> requires SH, SW >= 1");
    static constexpr bool reported = true;
  };
};

}  // namespace diag

template <class... Options>
struct Upsample {
  using scale = detail::option_or<Scale<2>, Options...>;
  static constexpr bool bilinear = std::is_same_v<detail::option_or<Nearest, Options...>, Bilinear>;

  template <class In, std::size_t I>
  struct check {
   private:
    using layer = diag::layer<I>;
    using options = diag::upsample_options<layer, Upsample, diag::scale<scale::height>,
                                           diag::scale<scale::width>, Options...>;
    using image = diag::requires_image_input<layer, Upsample, diag::input_t<In>, options::value>;
    static_assert(options::report::reported && image::report::reported);

   public:
    static constexpr bool value = image::value;
  };

  template <class In>
  struct shapes {
    using output = Shape<In::dims[0], In::dims[1] * scale::height, In::dims[2] * scale::width>;
    using parameters = boost::mp11::mp_list<>;
    static constexpr std::size_t macs = 0;
  };

  static std::string name() {
    return std::string("Upsample(x") + detail::axes(scale::height, scale::width) + ", " +
           (bilinear ? "bilinear" : "nearest") + ")";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
