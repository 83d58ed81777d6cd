// Model ensembles (CS231n, "Model ensembles"): several independently trained models, each
// turning its scores into probabilities with a softmax; the ensemble predicts their mean.
// Members differ by seed, by architecture or both, as long as they put out the same classes.
//
//   tn::Model<LeNet5> a{tn::init::He{}, 1}, b{tn::init::He{}, 2};
//   tn::Model<Mlp> c{tn::init::He{}, 3};
//   ... train each ...
//   tn::Ensemble ensemble(a, b, c);                   // refers to the models: keep them alive
//   std::cout << tn::evaluate(ensemble, test);        // accuracy of the averaged probabilities
//   auto p = ensemble.predict(test);                  // Tensor<double, Shape<10>>, one row each
//
// The members' output shapes are checked when the ensemble's type is made: a member with
// another shape is a compile error naming both shapes.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "typenet/data/dataset.hpp"
#include "typenet/shape/diagnostic.hpp"
#include "typenet/shape/shape.hpp"
#include "typenet/train/fit.hpp"
#include "typenet/train/model.hpp"

namespace typenet {

namespace diag {
// Which member broke the ensemble's rule, counted from 0.
template <std::size_t K>
struct member {
  static constexpr std::size_t value = K;
};
template <std::size_t... D>
struct first_member_output {};
template <class M>
struct given_member {};
}  // namespace diag

namespace detail {
template <class M>
inline constexpr bool is_model = false;
template <class Net, class T>
inline constexpr bool is_model<Model<Net, T>> = true;

template <class S>
struct shape_carrier;
template <std::size_t... D>
struct shape_carrier<Shape<D...>> {
  using first = diag::first_member_output<D...>;
  using output = diag::output<D...>;
};

// The rules, one static_assert each, with the numbers in the template's arguments.
template <class Member, class Given>
struct ensemble_member_is_model;
template <class Member, class M>
struct ensemble_member_is_model<Member, diag::given_member<M>> {
  static constexpr bool value = is_model<M>;
  static_assert(value,
                "Ensemble<Models...> takes tn::Model<Net, T> members (the models themselves, "
                "by reference): see member<K> and given_member<...>; wrap a network in a "
                "tn::Model");
};
template <class Member, class First, class Output>
struct ensemble_outputs_agree;
template <class Member, std::size_t... F, std::size_t... D>
struct ensemble_outputs_agree<Member, diag::first_member_output<F...>, diag::output<D...>> {
  static constexpr bool value = Shape<F...>{} == Shape<D...>{};
  static_assert(value,
                "Ensemble<Models...> requires every member to put out the same shape (their "
                "probabilities are averaged class by class): see first_member_output<...> and "
                "the output<...> of member<K>; give each member the same last layer");
};
template <class Output>
struct ensemble_output_is_a_vector {
  static constexpr bool value = sizeof(Output) == 0;  // false, once instantiated
  static_assert(value,
                "Ensemble<Models...> averages class probabilities: its members must put out a "
                "vector of class scores (Shape<C>, C >= 2), not the output<...> shown; end "
                "each member with Dense<C>");
};
template <std::size_t C>
struct ensemble_output_is_a_vector<diag::output<C>> {
  static constexpr bool value = C >= 2;
  static_assert(value,
                "Ensemble<Models...> averages class probabilities: its members must put out a "
                "vector of class scores (Shape<C>, C >= 2), not the output<...> shown; end "
                "each member with Dense<C>");
};

// The index of the first of `holds` that is false, or its size.
template <std::size_t N>
consteval std::size_t first_false(const std::array<bool, N>& holds) {
  for (std::size_t k = 0; k < N; ++k)
    if (!holds[k]) return k;
  return N;
}
template <class M>
struct output_of {
  using type = void;
};
template <class Net, class T>
struct output_of<Model<Net, T>> {
  using type = typename Net::output_type;
};

struct ensemble_rules_hold {
  static constexpr bool value = true;
};

// The first rule the members break, in order (ensemble_rules_hold if none), as a type: Ensemble
// instantiates it at class scope, which fires its one static_assert. (Read inside a
// constant-evaluated function, clang adds three errors once the assertion has failed.)
template <class... Models>
constexpr auto ensemble_rule() {
  if constexpr (sizeof...(Models) == 0) {
    static_assert(sizeof...(Models) > 0,
                  "Ensemble<Models...> needs at least one member: tn::Ensemble ensemble(a, b)");
    return std::type_identity<ensemble_rules_hold>{};
  } else {
    using List = std::tuple<Models...>;
    constexpr std::size_t not_model =
        first_false(std::array<bool, sizeof...(Models)>{is_model<Models>...});
    if constexpr (not_model < sizeof...(Models)) {
      return std::type_identity<ensemble_member_is_model<
          diag::member<not_model>, diag::given_member<std::tuple_element_t<not_model, List>>>>{};
    } else {
      using First = typename output_of<std::tuple_element_t<0, List>>::type;
      if constexpr (!(First::rank == 1 && First::size >= 2)) {
        return std::type_identity<
            ensemble_output_is_a_vector<typename shape_carrier<First>::output>>{};
      } else {
        constexpr std::size_t other = first_false(std::array<bool, sizeof...(Models)>{
            std::is_same_v<First, typename output_of<Models>::type>...});
        if constexpr (other < sizeof...(Models)) {
          return std::type_identity<
              ensemble_outputs_agree<diag::member<other>, typename shape_carrier<First>::first,
                                     typename shape_carrier<typename output_of<
                                         std::tuple_element_t<other, List>>::type>::output>>{};
        } else {
          return std::type_identity<ensemble_rules_hold>{};
        }
      }
    }
  }
}

template <bool Ok, class... Models>
struct ensemble_output {
  using type = Shape<2>;  // a broken ensemble has said why; this keeps the rest quiet
};
template <class First, class... Rest>
struct ensemble_output<true, First, Rest...> {
  using type = typename output_of<First>::type;
};

// The metrics of evaluate for a row-major samples x classes table of probabilities: the loss is
// the mean -ln p(label) (p at least DBL_MIN). src/train/ensemble.cpp.
Evaluation evaluate_probabilities(std::span<const double> probabilities, std::size_t classes,
                                  std::span<const int> labels);
// Adds softmax(scores) / members to `to` (`classes` values), in double; max-subtracted.
template <class T>
void add_softmax(const T* scores, std::size_t classes, double members, double* to) {
  double top = double(scores[0]);
  for (std::size_t c = 1; c < classes; ++c) top = std::max(top, double(scores[c]));
  double sum = 0;
  for (std::size_t c = 0; c < classes; ++c) sum += std::exp(double(scores[c]) - top);
  for (std::size_t c = 0; c < classes; ++c)
    to[c] += std::exp(double(scores[c]) - top) / sum / members;
}
}  // namespace detail

template <class... Models>
class Ensemble {
 public:
  using rule = typename decltype(detail::ensemble_rule<Models...>())::type;
  // Instantiates the broken rule, whose static_assert is the one error; `ok` compares types,
  // so no later use of it repeats the error (clang would, reading the failed rule's value).
  static_assert(sizeof(rule) > 0);
  static constexpr bool ok = std::is_same_v<rule, detail::ensemble_rules_hold>;
  using output_type = typename detail::ensemble_output<ok, Models...>::type;
  static constexpr std::size_t classes = output_type::size;
  using probabilities = Tensor<double, output_type>;

  explicit Ensemble(Models&... models) : members_(models...) {}
  static constexpr std::size_t size() { return sizeof...(Models); }
  template <std::size_t K>
  auto& member() {
    return std::get<K>(members_);
  }

  // The mean of the members' softmax probabilities for a batch (each member's Model::predict,
  // eval mode): one row of `classes` per sample.
  template <class U, class S>
  probabilities predict(const Tensor<U, S>& x) {
    probabilities p(std::max<std::size_t>(x.batch(), 1));
    p.set_batch(x.batch());
    std::fill(p.span().begin(), p.span().end(), 0.0);
    if constexpr (ok)
      std::apply([&](auto&... m) { (add(m.predict(x), x.batch(), p, 0), ...); }, members_);
    return p;
  }
  // The same for every sample of a dataset, in batches of each member's capacity. Throws as
  // evaluate does when the dataset does not fit a member (naming "Ensemble::predict").
  probabilities predict(const data::Dataset& data) {
    probabilities p(std::max<std::size_t>(data.size(), 1));
    p.set_batch(data.size());
    std::fill(p.span().begin(), p.span().end(), 0.0);
    if constexpr (ok) std::apply([&](auto&... m) { (predict_into(m, data, p), ...); }, members_);
    return p;
  }

 private:
  template <class Output>
  static void add(const Output& y, std::size_t n, probabilities& p, std::size_t offset) {
    for (std::size_t i = 0; i < n; ++i)
      detail::add_softmax(y.sample(i), classes, double(size()), p.sample(offset + i));
  }
  template <class Net, class T>
  static void predict_into(Model<Net, T>& model, const data::Dataset& data, probabilities& p) {
    using In = typename Net::input_type;
    detail::check_input(data, In::dims, classes, "Ensemble::predict");
    const std::size_t batch = model.capacity();
    Tensor<T, In> x(batch);
    std::vector<int> labels;
    labels.reserve(batch);
    std::vector<std::size_t> indices(data.size());
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    for (std::size_t begin = 0; begin < data.size(); begin += batch) {
      const auto chunk = std::span(indices).subspan(begin, std::min(batch, data.size() - begin));
      detail::gather(data, chunk, x, labels, nullptr, nullptr);
      add(model.predict(x), chunk.size(), p, begin);
    }
  }

  std::tuple<Models&...> members_;
};
template <class... Models>
Ensemble(Models&...) -> Ensemble<Models...>;

// Loss (the mean -ln of the averaged probability of the true class), accuracy, top-5,
// confusion matrix, precision and recall of the ensemble's averaged probabilities, as
// evaluate(model, data) reports a model's. Throws as evaluate does for a dataset that does not
// fit.
template <class... Models>
Evaluation evaluate(Ensemble<Models...>& ensemble, const data::Dataset& data) {
  if constexpr (!Ensemble<Models...>::ok) {
    return {};
  } else {
    const auto p = ensemble.predict(data);
    return detail::evaluate_probabilities(p.span(), Ensemble<Models...>::classes, data.labels);
  }
}

}  // namespace typenet
