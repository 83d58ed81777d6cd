// Beyond a chain: layers made of other layers.
//
//   tn::Block<Specs...>                  a chain of specs without Input: a branch of the two
//                                        below, or a layer of its own (a stage of blocks)
//   tn::Residual<Branch, Shortcut>       output = branch(x) + shortcut(x); Shortcut defaults to
//                                        tn::Identity. Both paths must produce the same shape.
//   tn::Concat<Branch...>                the branches' outputs joined along channels (Inception,
//                                        DenseNet); every branch must keep the same H x W.
//
// Each is itself a layer spec, so they nest: a Residual inside a Block inside a Concat works.
// A Branch is one spec or a Block<...>. Inside a branch, layers are counted from 0 again in
// diagnostics (the outer layer<I> of the Residual/Concat is in the same error).
#pragma once

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include "typenet/graph/sequential.hpp"
#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/spec/checks.hpp"
#include "typenet/spec/dropout.hpp"
#include "typenet/spec/layer.hpp"

namespace typenet {

template <class... Specs>
struct Block;

// The identity layer: y = x (the default shortcut of a Residual).
struct Identity : detail::same_shape {
  template <class In, std::size_t I>
  using check = std::true_type;
  static std::string name() { return "Identity"; }
};

namespace diag {
// The shapes each path of a Residual or each branch of a Concat produces.
template <std::size_t... D>
struct branch_output {};
template <std::size_t... D>
struct shortcut_output {};

// A shape as one of the carriers above (empty for InvalidShape).
template <template <std::size_t...> class Carrier, class S>
struct carry {
  using type = Carrier<>;
};
template <template <std::size_t...> class Carrier, std::size_t... D>
struct carry<Carrier, Shape<D...>> {
  using type = Carrier<D...>;
};

template <std::size_t... D>
inline constexpr std::size_t rank_of<branch_output<D...>> = sizeof...(D);
template <std::size_t K, std::size_t... D>
inline constexpr std::size_t dim_of<branch_output<D...>, K> =
    K < sizeof...(D) ? Shape<D...>::dims[K < sizeof...(D) ? K : 0] : 0;

template <class Layer, class Spec, class Input, class Branch, class Shortcut, bool Same,
          bool Enabled>
struct residual_paths_agree {
  static constexpr bool value = Enabled && Same;
  struct report {
    static_assert(!Enabled || value,
                  "Residual<Branch, Shortcut> requires the branch and the shortcut to produce "
                  "the same shape (they are added): see branch_output<...> and "
                  "shortcut_output<...>; give the shortcut a projection such as "
                  "Block<Conv2D<C, Kernel<1>, Stride<S>>, BatchNorm>, or change the branch");
    static constexpr bool reported = true;
  };
};

template <class Layer, class Spec, class Input, bool Enabled, class... Outputs>
struct concat_spatial_agree {
  static constexpr bool images = ((rank_of<Outputs> == 3) && ...);
  static constexpr bool value = [] {
    if constexpr (!Enabled || !images) {
      return false;
    } else {
      using First = boost::mp11::mp_first<boost::mp11::mp_list<Outputs...>>;
      return ((dim_of<Outputs, 1> == dim_of<First, 1> && dim_of<Outputs, 2> == dim_of<First, 2>) &&
              ...);
    }
  }();
  struct report {
    static_assert(!Enabled || images,
                  "Concat<Branch...> joins images along their channels: every branch must "
                  "produce a C x H x W output (see the branch_output<...> list)");
    static_assert(!Enabled || !images || value,
                  "Concat<Branch...> requires every branch to produce the same height and width "
                  "(it joins them along channels): see the branch_output<...> list; pad or "
                  "stride the branches alike");
    static constexpr bool reported = true;
  };
};
}  // namespace diag

namespace detail {
template <class Branch>
struct chain_of {
  using type = boost::mp11::mp_list<Branch>;
};
template <class... Specs>
struct chain_of<Block<Specs...>> {
  using type = boost::mp11::mp_list<Specs...>;
};
template <class Branch>
using chain_t = typename chain_of<Branch>::type;

// A branch bound to an input: its layers and output (InvalidShape if a layer in it failed).
template <class In, class Branch>
struct bound_branch {
  using specs = chain_t<Branch>;
  static constexpr bool specs_ok =
      diag::layer_specs<specs, std::make_index_sequence<boost::mp11::mp_size<specs>::value>>::value;
  using chain = bind_specs<In, specs, specs_ok>;
  using layers = typename chain::layers;
  using output = typename chain::output;
};

template <class Bound>
using parameter_shapes_of = typename Bound::parameter_shapes;

template <class... Bound>
constexpr std::size_t branch_macs(boost::mp11::mp_list<Bound...>) {
  return sum({std::size_t{0}, Bound::macs...});
}
template <class Layers>
using branch_parameters =
    boost::mp11::mp_apply<boost::mp11::mp_append,
                          boost::mp11::mp_push_front<
                              boost::mp11::mp_transform<parameter_shapes_of, Layers>,
                              boost::mp11::mp_list<>>>;

// A path through a composite layer, for the summary: its layers and the label of its rows.
template <class Layers, char... Label>
struct summary_path {
  using layers = Layers;
  static std::string label() { return std::string{Label...}; }
};

}  // namespace detail

// A chain of layers used as one layer (ResNet's stages, a block and its activation).
template <class... Specs>
struct Block {
  template <class In, std::size_t I>
  struct check {
    static constexpr bool value = ShapeType<typename detail::bound_branch<In, Block>::output>;
  };
  template <class In>
  struct shapes {
    using chain = detail::bound_branch<In, Block>;
    using output = typename chain::output;
    using parameters = detail::branch_parameters<typename chain::layers>;
    static constexpr std::size_t macs = detail::branch_macs(typename chain::layers{});
  };
  template <class In>
  using paths =
      boost::mp11::mp_list<detail::summary_path<typename detail::bound_branch<In, Block>::layers>>;
  static std::string name() { return "Block"; }
};

template <class Branch, class Shortcut = Identity>
struct Residual {
  using branch = Branch;
  using shortcut = Shortcut;

  template <class In, std::size_t I>
  struct check {
   private:
    using main = detail::bound_branch<In, Branch>;
    using side = detail::bound_branch<In, Shortcut>;
    static constexpr bool bound = ShapeType<typename main::output> && ShapeType<typename side::output>;
    using agree = diag::residual_paths_agree<
        diag::layer<I>, Residual, diag::input_t<In>,
        typename diag::carry<diag::branch_output, typename main::output>::type,
        typename diag::carry<diag::shortcut_output, typename side::output>::type,
        std::is_same_v<typename main::output, typename side::output>, bound>;
    static_assert(agree::report::reported);

   public:
    static constexpr bool value = agree::value;
  };

  template <class In>
  struct shapes {
    using main = detail::bound_branch<In, Branch>;
    using side = detail::bound_branch<In, Shortcut>;
    using output = typename main::output;
    using parameters = boost::mp11::mp_append<detail::branch_parameters<typename main::layers>,
                                              detail::branch_parameters<typename side::layers>>;
    static constexpr std::size_t macs =
        detail::branch_macs(typename main::layers{}) + detail::branch_macs(typename side::layers{});
  };

  template <class In>
  using paths = boost::mp11::mp_list<
      detail::summary_path<typename detail::bound_branch<In, Branch>::layers>,
      detail::summary_path<typename detail::bound_branch<In, Shortcut>::layers, 's'>>;
  static std::string name() {
    return std::is_same_v<Shortcut, Identity> ? "Residual" : "Residual, projection shortcut (s)";
  }
};

template <class... Branches>
struct Concat {
  static_assert(sizeof...(Branches) >= 1, "Concat<Branch...> requires at least one branch");

  template <class In, std::size_t I>
  struct check {
   private:
    static constexpr bool bound =
        (ShapeType<typename detail::bound_branch<In, Branches>::output> && ...);
    using agree = diag::concat_spatial_agree<
        diag::layer<I>, Concat, diag::input_t<In>, bound,
        typename diag::carry<diag::branch_output,
                            typename detail::bound_branch<In, Branches>::output>::type...>;
    static_assert(agree::report::reported);

   public:
    static constexpr bool value = agree::value;
  };

  template <class In>
  struct shapes {
    template <class Branch>
    using out = typename detail::bound_branch<In, Branch>::output;
    using first = out<boost::mp11::mp_first<boost::mp11::mp_list<Branches...>>>;
    using output = Shape<(std::size_t{0} + ... + out<Branches>::dims[0]), first::dims[1],
                         first::dims[2]>;
    using parameters = boost::mp11::mp_append<
        detail::branch_parameters<typename detail::bound_branch<In, Branches>::layers>...>;
    static constexpr std::size_t macs =
        (std::size_t{0} + ... +
         detail::branch_macs(typename detail::bound_branch<In, Branches>::layers{}));
  };

  template <class In, class Indices = std::index_sequence_for<Branches...>>
  struct paths_of;
  template <class In, std::size_t... K>
  struct paths_of<In, std::index_sequence<K...>> {
    using type = boost::mp11::mp_list<detail::summary_path<
        typename detail::bound_branch<In, Branches>::layers, 'b', char('0' + K % 10), '.'>...>;
  };
  template <class In>
  using paths = typename paths_of<In>::type;
  static std::string name() { return "Concat, " + std::to_string(sizeof...(Branches)) + " branches (b)"; }
};

}  // namespace typenet
