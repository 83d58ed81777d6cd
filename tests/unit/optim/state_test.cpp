// Optimiser state belongs to its parameter, whatever is frozen or unfrozen between steps, and
// bad hyper-parameters are refused with a sentence when the optimiser is made.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {

using P = tn::Parameter<double>;

// Steps `optimizer` through `schedule`: entry s lists which of a and b (0, 1) are trainable at
// step s. Each parameter's gradient depends on the parameter and on how many steps it has had,
// so a parameter stepped alone sees the same gradients as one stepped among others.
template <class Optimizer>
std::vector<double> run(Optimizer optimizer, const std::vector<std::vector<int>>& schedule) {
  P a(tn::ParameterKind::weight, 3), b(tn::ParameterKind::weight, 2);
  P* both[] = {&a, &b};
  std::vector<int> taken(2, 0);
  for (std::size_t i = 0; i < 3; ++i) a.value[i] = 1.0 + 0.5 * double(i);
  for (std::size_t i = 0; i < 2; ++i) b.value[i] = -2.0 + double(i);
  for (const auto& trainable : schedule) {
    std::vector<P*> params;
    for (int k : trainable) {
      P& p = *both[k];
      for (std::size_t i = 0; i < p.size(); ++i)
        p.gradient[i] = std::sin(1.0 + double(k) + 0.7 * double(taken[k]) + double(i));
      ++taken[std::size_t(k)];
      params.push_back(&p);
    }
    optimizer.step(params, 0.05);
  }
  std::vector<double> values;
  for (std::size_t i = 0; i < 3; ++i) values.push_back(a.value[i]);
  for (std::size_t i = 0; i < 2; ++i) values.push_back(b.value[i]);
  return values;
}

// A's values (the first three) and b's (the last two) of a run.
std::vector<double> of_a(std::vector<double> v) { return {v.begin(), v.begin() + 3}; }
std::vector<double> of_b(std::vector<double> v) { return {v.begin() + 3, v.end()}; }

template <class Optimizer>
void check_state_follows_parameters(const Optimizer& optimizer) {
  // a frozen at steps 2 and 4 (the list Model passes then holds b alone), b always trained.
  const auto mixed = run(optimizer, {{0, 1}, {1}, {0, 1}, {1}, {0, 1}});
  // The same steps of each parameter on its own.
  const auto a_alone = run(optimizer, {{0}, {0}, {0}});
  const auto b_alone = run(optimizer, {{1}, {1}, {1}, {1}, {1}});
  CHECK(of_a(mixed) == of_a(a_alone));
  CHECK(of_b(mixed) == of_b(b_alone));
  // A parameter that joins later (a frozen at first, then unfrozen) gets state of its own.
  const auto late = run(optimizer, {{1}, {0, 1}, {0, 1}, {1}, {1}});
  const auto a_late = run(optimizer, {{0}, {0}});
  CHECK(of_a(late) == of_a(a_late));
  CHECK(of_b(late) == of_b(b_alone));
}

}  // namespace

TEST_CASE("Freezing a layer leaves the others' momentum where it was", "[optim][freeze]") {
  // w_a = 1, w_b = 2; step 1 with both (g_a = 1, g_b = 0.5), step 2 with a frozen (g_b = 0.5).
  // b's velocity: -0.05, then 0.9 (-0.05) - 0.05 = -0.095, so w_b = 2 - 0.05 - 0.095 = 1.855.
  // (Keyed by position, b took a's velocity -0.1 and ended at 1.81.)
  tn::optim::SGD sgd({.lr = 0.1, .momentum = 0.9});
  P a(tn::ParameterKind::weight, 1), b(tn::ParameterKind::weight, 1);
  a.value[0] = 1;
  b.value[0] = 2;
  a.gradient[0] = 1;
  b.gradient[0] = 0.5;
  sgd.step(std::vector<P*>{&a, &b}, 0.1);
  sgd.step(std::vector<P*>{&b}, 0.1);
  CHECK(b.value[0] == Approx(1.855).epsilon(1e-12));
  CHECK(a.value[0] == Approx(0.9).epsilon(1e-12));
}

TEST_CASE("Every optimiser's state follows its parameter through freezing and unfreezing",
          "[optim][freeze]") {
  check_state_follows_parameters(tn::optim::SGD({.lr = 0.05}));
  check_state_follows_parameters(tn::optim::SGD({.lr = 0.05, .momentum = 0.9}));
  check_state_follows_parameters(
      tn::optim::SGD({.lr = 0.05, .momentum = 0.9, .nesterov = true, .weight_decay = 0.01}));
  check_state_follows_parameters(tn::optim::AdaGrad({.lr = 0.05}));
  check_state_follows_parameters(tn::optim::RMSProp({.lr = 0.05}));
  // Adam's bias correction counts each parameter's own steps (PyTorch's state['step']).
  check_state_follows_parameters(tn::optim::Adam({.lr = 0.05}));
  check_state_follows_parameters(tn::optim::Adam({.lr = 0.05, .weight_decay = 0.01}));
  check_state_follows_parameters(tn::optim::AdamW({.lr = 0.05}));
}

TEST_CASE("Hyper-parameters are checked when an optimiser is made", "[optim]") {
  namespace optim = tn::optim;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(optim::SGD({.momentum = 0, .nesterov = true}),
                    Contains("Nesterov momentum requires momentum > 0"));
  CHECK_THROWS_WITH(optim::SGD({.lr = -0.1}), Contains("optim::SGD: the learning rate is -0.1"));
  CHECK_THROWS_WITH(optim::SGD({.lr = nan}), Contains("must be finite and >= 0"));
  CHECK_THROWS_WITH(optim::SGD({.lr = 0.1, .momentum = 1}),
                    Contains("optim::SGD: momentum is 1") && Contains("in [0, 1)"));
  CHECK_THROWS_WITH(optim::SGD({.lr = 0.1, .momentum = -0.5}), Contains("in [0, 1)"));
  CHECK_THROWS_WITH(optim::SGD({.weight_decay = -1e-4}), Contains("optim::SGD: weight_decay"));
  CHECK_THROWS_WITH(optim::AdaGrad({.lr = inf}), Contains("optim::AdaGrad: the learning rate"));
  CHECK_THROWS_WITH(optim::AdaGrad({.eps = -1}), Contains("optim::AdaGrad: eps"));
  CHECK_THROWS_WITH(optim::RMSProp({.decay = 1.5}), Contains("optim::RMSProp: decay"));
  CHECK_THROWS_WITH(optim::RMSProp({.eps = nan}), Contains("optim::RMSProp: eps"));
  CHECK_THROWS_WITH(optim::Adam({.beta1 = 1}), Contains("optim::Adam: beta1 is 1"));
  CHECK_THROWS_WITH(optim::Adam({.beta2 = -0.1}), Contains("optim::Adam: beta2"));
  CHECK_THROWS_WITH(optim::Adam({.eps = -1e-8}), Contains("optim::Adam: eps"));
  CHECK_THROWS_WITH(optim::Adam({.weight_decay = -1}), Contains("optim::Adam: weight_decay"));
  CHECK_THROWS_WITH(optim::AdamW({.lr = -1}), Contains("optim::AdamW: the learning rate"));
  // PyTorch's defaults and edges are accepted: lr 0, eps 0, momentum 0 without Nesterov.
  CHECK_NOTHROW(optim::SGD({.lr = 0}));
  CHECK_NOTHROW(optim::Adam({.lr = 0.001, .eps = 0}));
  CHECK_NOTHROW(optim::RMSProp({.decay = 0}));
}

TEST_CASE("A step at a NaN or infinite rate changes no weight", "[optim]") {
  P w(tn::ParameterKind::weight, 2);
  w.value[0] = 1;
  w.value[1] = 2;
  w.gradient[0] = w.gradient[1] = 0.5;
  const std::vector<P*> params{&w};
  tn::optim::Adam adam;
  CHECK_THROWS_WITH(adam.step(params, std::numeric_limits<double>::quiet_NaN()),
                    Catch::Matchers::Contains("optim::Adam::step: the learning rate is nan"));
  tn::optim::SGD sgd({.lr = 0.1, .momentum = 0.9});
  CHECK_THROWS_WITH(sgd.step(params, std::numeric_limits<double>::infinity()),
                    Catch::Matchers::Contains("no weight was changed"));
  CHECK(w.value[0] == 1);
  CHECK(w.value[1] == 2);
}
