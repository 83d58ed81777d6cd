// AdaptiveAvgPool2D<OH, OW>: C x H x W -> C x OH x OW, output (i, j) the mean of rows
// floor(i*H/OH) .. ceil((i+1)*H/OH) - 1 and the same columns (PyTorch's AdaptiveAvgPool2d;
// torchvision's AlexNet and VGG end their features with one). No parameters.
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

template <class Layer, class Spec, class Height, class Width>
struct adaptive_pool_size {
  static constexpr bool value = Height::value > 0 && Width::value > 0;
  struct report {
    static_assert(value, "AdaptiveAvgPool2D<OH, OW> requires OH, OW >= 1");
    static constexpr bool reported = true;
  };
};

}  // namespace diag

template <std::size_t OH, std::size_t OW = OH>
struct AdaptiveAvgPool2D {
  template <class In, std::size_t I>
  struct check {
   private:
    using layer = diag::layer<I>;
    using size = diag::adaptive_pool_size<layer, AdaptiveAvgPool2D, diag::size<OH>, diag::size<OW>>;
    using image =
        diag::requires_image_input<layer, AdaptiveAvgPool2D, diag::input_t<In>, size::value>;
    static_assert(size::report::reported && image::report::reported);

   public:
    static constexpr bool value = image::value;
  };

  template <class In>
  struct shapes {
    using output = Shape<In::dims[0], OH, OW>;
    using parameters = boost::mp11::mp_list<>;
    static constexpr std::size_t macs = 0;
  };

  static std::string name() { return "AdaptiveAvgPool2D(" + detail::window(OH, OW) + ")"; }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
