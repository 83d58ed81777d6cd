// A layer spec bound to the shape of its input.
//
// A spec (Conv2D<6, Kernel<5>>, ReLU, ...) says what a layer is; bound to an input shape it
// also knows its output shape, its parameter tensors and its cost. Each spec provides
//   template <class In, std::size_t I> struct check;  // ::value: does the layer fit In? Its
//                                                     // instantiation runs the reports of the
//                                                     // layer's rules (see spec/detail/checks.hpp)
//   template <class In> struct shapes;                // output, parameters, macs: only
//                                                     // instantiated once check passed
#pragma once

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/list.hpp>
#include <cstddef>
#include <initializer_list>
#include <type_traits>

#include "typenet/shape/shape.hpp"
#include "typenet/spec/named.hpp"

namespace typenet {

namespace detail {

// Over a list, not a fold: clang limits folds to 256 operands, and a ResNet-152 has more
// parameter tensors than that.
template <class... Shapes>
constexpr std::size_t total_size(boost::mp11::mp_list<Shapes...>) {
  std::size_t total = 0;
  for (std::size_t size : {std::size_t{0}, Shapes::size...}) total += size;
  return total;
}

// What a layer reports when it, or a layer before it, broke a rule.
struct failed_shapes {
  using output = InvalidShape;
  using parameters = boost::mp11::mp_list<>;
  static constexpr std::size_t macs = 0;
};

template <class T>
concept LayerSpec = requires {
  typename T::template shapes<Shape<1>>;
};

// A layer after a failed one (input InvalidShape) stays silent: one error, at the layer that is
// wrong. Anything else that is not a Shape is a mistake of its own.
template <class In>
struct not_a_shape {
  static constexpr bool value = false;
  struct report {
    static_assert(std::is_same_v<In, InvalidShape>,
                  "tn::bind<Spec, In> requires In to be a tn::Shape<...>, the shape of one sample "
                  "(for example tn::Shape<3, 32, 32>; tn::Input<...> belongs in a Sequential)");
    static constexpr bool reported = true;
  };
};
template <class In>
struct shape_input {
  static_assert(not_a_shape<In>::report::reported);
  static constexpr bool value = false;
};
// Selected lazily: naming Spec::check<InvalidShape, I> at all would substitute alias-template
// checks with a non-shape and add an error after the real one.
template <class Spec, class In, std::size_t I, bool = ShapeType<In>>
struct check_select {
  using type = shape_input<In>;
};
template <class Spec, class In, std::size_t I>
struct check_select<Spec, In, I, true> {
  using type = typename Spec::template check<In, I>;
};
template <class Spec, class In, std::size_t I>
using check_t = typename check_select<Spec, In, I>::type;

template <class Shapes, std::size_t K>
struct parameter_index {
  static constexpr bool value = K < boost::mp11::mp_size<Shapes>::value;
  struct report {
    static_assert(value,
                  "layer::parameter_shape<K> requires K < the layer's number of parameter "
                  "tensors (weight is 0, bias 1; layers without parameters have none)");
    static constexpr bool reported = true;
  };
};

// Element K of List. Past the end: Fallback, after IndexCheck's report has said why, so that
// its sentence is the error to read rather than mp11's.
template <class List, std::size_t K, class IndexCheck, class Fallback>
struct checked_at {
  static_assert(IndexCheck::report::reported);
  static constexpr std::size_t count = boost::mp11::mp_size<List>::value;
  using type =
      boost::mp11::mp_at_c<boost::mp11::mp_push_back<List, Fallback>, (K < count ? K : count)>;
};

}  // namespace detail

template <class Spec, class In, std::size_t I = 0>
struct BoundLayer {
  // A Named<"conv1", S> layer is S in every respect but its state_dict name.
  using spec = detail::unnamed_t<Spec>;
  using named_spec = Spec;
  static constexpr std::size_t index = I;
  // Instantiating check<> is what runs the layer's static_asserts.
  static constexpr bool ok = detail::check_t<spec, In, I>::value;

 private:
  using shapes =
      typename std::conditional_t<ok, typename spec::template shapes<In>, detail::failed_shapes>;

 public:
  using input_type = In;
  using output_type = typename shapes::output;
  // One Shape per parameter tensor, in a fixed order (e.g. weight, then bias).
  using parameter_shapes = typename shapes::parameters;
  template <std::size_t K>
  using parameter_shape =
      typename detail::checked_at<parameter_shapes, K, detail::parameter_index<parameter_shapes, K>,
                                  InvalidShape>::type;

  static constexpr input_type input_shape{};
  static constexpr output_type output_shape{};
  static constexpr std::size_t parameter_count = detail::total_size(parameter_shapes{});
  // Multiply-accumulates for one sample, counted for the weight layers (convolution, dense,
  // maxout) as papers and torchvision count them; element-wise, pooling and normalisation
  // work is not included.
  static constexpr std::size_t macs = shapes::macs;
};

// Spec bound to an input shape: tn::bind<tn::Conv2D<10, tn::Kernel<5>, tn::Pad<2>>,
// tn::Shape<3, 32, 32>>::output_shape == tn::Shape<10, 32, 32>{}.
template <class Spec, class In, std::size_t I = 0>
using bind = BoundLayer<Spec, In, I>;

}  // namespace typenet
