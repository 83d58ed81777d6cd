// Beyond a chain: layers made of other layers.
//
//   tn::Block<Specs...>                  a chain of specs without Input: a branch of the two
//                                        below, or a layer of its own (a stage of blocks)
//   tn::Residual<Branch, Shortcut>       output = branch(x) + shortcut(x); Shortcut defaults to
//                                        tn::Identity. Both paths must produce the same shape.
//   tn::Concat<Branch...>                the branches' outputs joined along channels (Inception,
//                                        DenseNet); every branch must keep the same H x W.
//   tn::CropConcat<Branch...>            the same, each branch first centre-cropped to the last
//                                        branch's H x W (U-Net's skip connections)
//   tn::Heads<tn::Head<Branch, Loss>...> several outputs of one trunk, each with its own loss
//                                        (multi-task); the layer's output is the heads' outputs
//                                        one after the other, tn::loss::MultiTask trains them
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
#include "typenet/loss/label.hpp"
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
template <class Layer, class Spec, class Input, bool Enabled, class... Outputs>
struct crop_concat_fits {
 private:
  using Target = boost::mp11::mp_back<boost::mp11::mp_list<Outputs...>>;
  static constexpr std::size_t H = dim_of<Target, 1>, W = dim_of<Target, 2>;

 public:
  static constexpr bool images = ((rank_of<Outputs> == 3) && ...);
  static constexpr bool larger = !images || ((dim_of<Outputs, 1> >= H && dim_of<Outputs, 2> >= W) && ...);
  static constexpr bool even =
      !images || !larger ||
      (((dim_of<Outputs, 1> - H) % 2 == 0 && (dim_of<Outputs, 2> - W) % 2 == 0) && ...);
  static constexpr bool value = Enabled && images && larger && even;
  struct report {
    static_assert(!Enabled || images,
                  "CropConcat<Branch...> joins images along their channels: every branch must "
                  "produce a C x H x W output (see the branch_output<...> list)");
    static_assert(!Enabled || larger,
                  "CropConcat<Branch...> crop does not fit: every branch is centre-cropped to "
                  "the height and width of the last branch (the up-sampled path), so each "
                  "branch_output<...> must be at least as large as the last one");
    static_assert(!Enabled || even,
                  "CropConcat<Branch...> crop does not fit: a branch larger than the last by an "
                  "odd number of rows or columns has no centre crop; see the branch_output<...> "
                  "list and choose an input size that keeps each difference even");
    static constexpr bool reported = true;
  };
};

// A check that passed (stands in for one that is not enabled).
struct passed {
  static constexpr bool value = true;
  struct report {
    static constexpr bool reported = true;
  };
};

// Head K of a Heads<...>: its loss must fit its output and label (see loss/label.hpp).
template <class Layer, class Head, class Spec, class Loss, class Output, class Label, bool Enabled>
struct head_loss_fits {
  using check = std::conditional_t<Enabled, loss_fits<Loss, Output, Label>, passed>;
  static constexpr bool value = Enabled && check::value;
  struct report {
    // The rule is loss_fits's; this class's instantiation names the head and its output.
    static_assert(check::report::reported);
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

template <class... Branches>
struct CropConcat {
  static_assert(sizeof...(Branches) >= 1, "CropConcat<Branch...> requires at least one branch");

  template <class In, std::size_t I>
  struct check {
   private:
    static constexpr bool bound =
        (ShapeType<typename detail::bound_branch<In, Branches>::output> && ...);
    using fits = diag::crop_concat_fits<
        diag::layer<I>, CropConcat, diag::input_t<In>, bound,
        typename diag::carry<diag::branch_output,
                            typename detail::bound_branch<In, Branches>::output>::type...>;
    static_assert(fits::report::reported);

   public:
    static constexpr bool value = fits::value;
  };

  template <class In>
  struct shapes {
    template <class Branch>
    using out = typename detail::bound_branch<In, Branch>::output;
    using last = out<boost::mp11::mp_back<boost::mp11::mp_list<Branches...>>>;
    using output =
        Shape<(std::size_t{0} + ... + out<Branches>::dims[0]), last::dims[1], last::dims[2]>;
    using parameters = boost::mp11::mp_append<
        detail::branch_parameters<typename detail::bound_branch<In, Branches>::layers>...>;
    static constexpr std::size_t macs =
        (std::size_t{0} + ... +
         detail::branch_macs(typename detail::bound_branch<In, Branches>::layers{}));
  };

  template <class In>
  using paths = typename Concat<Branches...>::template paths<In>;
  static std::string name() {
    return "CropConcat, " + std::to_string(sizeof...(Branches)) + " branches (b)";
  }
};

// One output of a Heads<...>: a branch and the loss that trains it. Label is tn::ClassIndex or
// a tn::Shape<...> target; by default ClassIndex for the classification losses and the head's
// output shape for the element-wise ones.
template <class Branch, class Loss, class Label = void>
struct Head {
  using branch = Branch;
  using loss = Loss;
  using label = Label;
};

namespace detail {
template <class Head, class Out>
using head_label = std::conditional_t<
    !std::is_void_v<typename Head::label>, typename Head::label,
    std::conditional_t<Head::loss::labels == loss::detail::Labels::same_shape_target, Out,
                       ClassIndex>>;
}  // namespace detail

template <class... Hs>
struct Heads {
  static_assert(sizeof...(Hs) >= 1, "Heads<Head<Branch, Loss>...> requires at least one head");
  using heads = boost::mp11::mp_list<Hs...>;
  static constexpr std::size_t count = sizeof...(Hs);

  // The output shape of each head for input In.
  template <class In>
  using outputs =
      boost::mp11::mp_list<typename detail::bound_branch<In, typename Hs::branch>::output...>;

  template <class In, std::size_t I>
  struct check {
   private:
    static constexpr bool bound =
        (ShapeType<typename detail::bound_branch<In, typename Hs::branch>::output> && ...);
    template <class Indices>
    struct losses;
    template <std::size_t... K>
    struct losses<std::index_sequence<K...>> {
      template <std::size_t J>
      using out = boost::mp11::mp_at_c<outputs<In>, J>;
      template <std::size_t J>
      using head = boost::mp11::mp_at_c<heads, J>;
      template <std::size_t J>
      using fits = diag::head_loss_fits<diag::layer<I>, diag::head<J>, Heads,
                                        typename head<J>::loss,
                                        typename diag::carry<diag::output, out<J>>::type,
                                        detail::head_label<head<J>, out<J>>, bound>;
      static_assert((fits<K>::report::reported && ...));
      static constexpr bool value = (fits<K>::value && ...);
    };

   public:
    static constexpr bool value = bound && losses<std::index_sequence_for<Hs...>>::value;
  };

  template <class In>
  struct shapes {
    using output = Shape<(std::size_t{0} + ... +
                          detail::bound_branch<In, typename Hs::branch>::output::size)>;
    using parameters = boost::mp11::mp_append<detail::branch_parameters<
        typename detail::bound_branch<In, typename Hs::branch>::layers>...>;
    static constexpr std::size_t macs =
        (std::size_t{0} + ... +
         detail::branch_macs(typename detail::bound_branch<In, typename Hs::branch>::layers{}));
  };

  template <class In, class Indices = std::index_sequence_for<Hs...>>
  struct paths_of;
  template <class In, std::size_t... K>
  struct paths_of<In, std::index_sequence<K...>> {
    using type = boost::mp11::mp_list<detail::summary_path<
        typename detail::bound_branch<In, typename Hs::branch>::layers, 'h', char('0' + K % 10),
        '.'>...>;
  };
  template <class In>
  using paths = typename paths_of<In>::type;
  static std::string name() { return "Heads, " + std::to_string(sizeof...(Hs)) + " outputs (h)"; }
};

}  // namespace typenet
