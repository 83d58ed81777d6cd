// Concat<Branch...>: the branches' outputs joined along channels (Inception, DenseNet); every
// branch must keep the same H x W. Output (C_1 + ... + C_n) x H x W.
// CropConcat<Branch...>: the same, each branch first centre-cropped to the last branch's H x W
// (U-Net's skip connections, Ronneberger et al. 2015); each difference must be even.
// A Branch is one spec or a Block<...>. Parameters and MACs: every branch's.
#pragma once
// This public header includes detail/ headers: it lets them in, and closes the door again at
// its end, so that a user's own include of one still fails.
#pragma push_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
#define TYPENET_INTERNAL_HEADERS_ALLOWED

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>
#include <string>
#include <utility>

#include "typenet/graph/block.hpp"
#include "typenet/graph/detail/branch.hpp"
#include "typenet/graph/detail/topology_checks.hpp"
#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/detail/checks.hpp"

namespace typenet {

namespace detail {

// What Concat and CropConcat share. Self is the spec (named in diagnostics), Rule its check
// (diag::concat_spatial_agree or diag::crop_concat_fits), Target picks the branch whose height
// and width the output has (mp_first for Concat, mp_back for CropConcat).
template <class Self, template <class, class, class, bool, class...> class Rule,
          template <class> class Target, class... Branches>
struct channel_join {
  static_assert(sizeof...(Branches) >= 1,
                "Concat<Branch...> and CropConcat<Branch...> require at least one branch");

  template <class In, std::size_t I>
  struct check {
   private:
    static constexpr bool bound = (ShapeType<typename bound_branch<In, Branches>::output> && ...);
    using rule = Rule<diag::layer<I>, Self, diag::input_t<In>, bound,
                      typename diag::carry<diag::branch_output,
                                           typename bound_branch<In, Branches>::output>::type...>;
    static_assert(rule::report::reported);

   public:
    static constexpr bool value = rule::value;
  };

  template <class In>
  struct shapes {
    template <class Branch>
    using out = typename bound_branch<In, Branch>::output;
    using target = out<Target<boost::mp11::mp_list<Branches...>>>;
    using output =
        Shape<(std::size_t{0} + ... + out<Branches>::dims[0]), target::dims[1], target::dims[2]>;
    using parameters =
        boost::mp11::mp_append<branch_parameters<typename bound_branch<In, Branches>::layers>...>;
    static constexpr std::size_t macs =
        (std::size_t{0} + ... + branch_macs(typename bound_branch<In, Branches>::layers{}));
  };

  template <class In, class Indices = std::index_sequence_for<Branches...>>
  struct paths_of;
  template <class In, std::size_t... K>
  struct paths_of<In, std::index_sequence<K...>> {
    using type = boost::mp11::mp_list<
        summary_path<typename bound_branch<In, Branches>::layers, 'b', char('0' + K % 10), '.'>...>;
  };
  template <class In>
  using paths = typename paths_of<In>::type;
};

}  // namespace detail

template <class... Branches>
struct Concat : detail::channel_join<Concat<Branches...>, diag::concat_spatial_agree,
                                     boost::mp11::mp_first, Branches...> {
  static std::string name() {
    return "Concat, " + std::to_string(sizeof...(Branches)) + " branches (b)";
  }
};

template <class... Branches>
struct CropConcat : detail::channel_join<CropConcat<Branches...>, diag::crop_concat_fits,
                                         boost::mp11::mp_back, Branches...> {
  static std::string name() {
    return "CropConcat, " + std::to_string(sizeof...(Branches)) + " branches (b)";
  }
};

}  // namespace typenet

#pragma pop_macro("TYPENET_INTERNAL_HEADERS_ALLOWED")
