// Optimisers against hand-computed steps.
#include <catch2/catch.hpp>
#include <cmath>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {

// One parameter tensor w = {1, -2} with gradient g = {0.5, 0.25}, stepped `steps` times with the
// same gradient.
template <class Optimizer>
std::vector<double> run(Optimizer& optimizer, double lr, int steps,
                        std::vector<double> gradient = {0.5, 0.25}) {
  tn::Parameter<double> p(tn::ParameterKind::weight, 2);
  p.value[0] = 1;
  p.value[1] = -2;
  std::vector<tn::Parameter<double>*> params{&p};
  for (int s = 0; s < steps; ++s) {
    p.gradient[0] = gradient[0];
    p.gradient[1] = gradient[1];
    optimizer.step(params, lr);
  }
  return {p.value[0], p.value[1]};
}

}  // namespace

TEST_CASE("SGD: plain, weight decay, momentum, Nesterov", "[optim]") {
  tn::optim::SGD plain;
  auto w = run(plain, 0.1, 1);
  CHECK(w[0] == Approx(1 - 0.1 * 0.5));
  CHECK(w[1] == Approx(-2 - 0.1 * 0.25));

  tn::optim::SGD decay({.lr = 0.1, .weight_decay = 0.01});
  w = run(decay, 0.1, 1);
  CHECK(w[0] == Approx(1 - 0.1 * (0.5 + 0.01 * 1)));

  // v1 = -lr g = -0.05; w1 = 0.95. v2 = 0.9 v1 - 0.05 = -0.095; w2 = 0.855.
  tn::optim::SGD momentum({.lr = 0.1, .momentum = 0.9});
  w = run(momentum, 0.1, 2);
  CHECK(w[0] == Approx(0.855));

  // Nesterov: w += -mu v_prev + (1 + mu) v. Step 1: v = -0.05, w = 1 + 1.9 * -0.05 = 0.905.
  // Step 2: v = -0.095, w = 0.905 - 0.9 * -0.05 + 1.9 * -0.095 = 0.7695.
  tn::optim::SGD nesterov({.lr = 0.1, .momentum = 0.9, .nesterov = true});
  w = run(nesterov, 0.1, 2);
  CHECK(w[0] == Approx(0.7695));
}

TEST_CASE("AdaGrad and RMSProp", "[optim]") {
  // AdaGrad: c = g^2 then 2 g^2; w -= lr g / sqrt(c): 1 - 0.1 (1 + 1/sqrt 2) for any g.
  tn::optim::AdaGrad adagrad({.lr = 0.1, .eps = 0});
  auto w = run(adagrad, 0.1, 2);
  CHECK(w[0] == Approx(1 - 0.1 * (1 + 1 / std::sqrt(2.0))));
  CHECK(w[1] == Approx(-2 - 0.1 * (1 + 1 / std::sqrt(2.0))));

  // RMSProp, rho 0.9: c1 = 0.1 g^2 -> step lr/sqrt(0.1); c2 = 0.19 g^2 -> lr/sqrt(0.19).
  tn::optim::RMSProp rmsprop({.lr = 0.01, .decay = 0.9, .eps = 0});
  w = run(rmsprop, 0.01, 2);
  CHECK(w[0] == Approx(1 - 0.01 * (1 / std::sqrt(0.1) + 1 / std::sqrt(0.19))));
}

TEST_CASE("Adam (bias-corrected) and AdamW", "[optim]") {
  // With a constant gradient the bias-corrected m/sqrt(v) is exactly sign(g) at every step
  // (eps = 0): each step moves lr.
  tn::optim::Adam adam({.lr = 0.01, .eps = 0});
  auto w = run(adam, 0.01, 3);
  CHECK(w[0] == Approx(1 - 0.03));
  CHECK(w[1] == Approx(-2 - 0.03));
  // Changing gradient: g1 = 1, g2 = -1 (beta1 0.9, beta2 0.999).
  tn::optim::Adam changing({.lr = 0.1, .eps = 0});
  tn::Parameter<double> p(tn::ParameterKind::weight, 1);
  std::vector<tn::Parameter<double>*> params{&p};
  p.gradient[0] = 1;
  changing.step(params, 0.1);
  CHECK(p.value[0] == Approx(-0.1));
  p.gradient[0] = -1;
  changing.step(params, 0.1);
  const double m = (0.9 * 0.1 - 0.1) / (1 - 0.81);
  const double v = (0.999 * 0.001 + 0.001) / (1 - 0.999 * 0.999);
  CHECK(p.value[0] == Approx(-0.1 - 0.1 * m / std::sqrt(v)));

  // AdamW: w <- w - lr wd w, then the Adam step on the plain gradient.
  tn::optim::AdamW adamw({.lr = 0.01, .eps = 0, .weight_decay = 0.1});
  w = run(adamw, 0.01, 1);
  CHECK(w[0] == Approx(1 - 0.01 * 0.1 * 1 - 0.01));
  // Adam with weight_decay adds it to the gradient (L2): the step is still lr in size here.
  tn::optim::Adam l2({.lr = 0.01, .eps = 0, .weight_decay = 0.1});
  w = run(l2, 0.01, 1);
  CHECK(w[0] == Approx(1 - 0.01));
}
