// Gradient clipping: clip_grad_norm and clip_grad_value against hand-computed values (PyTorch's
// torch.nn.utils rules), and the same clipping as train_step's and fit's option.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <span>
#include <typenet/typenet.hpp>
#include <vector>

namespace tn = typenet;

namespace {
// Two parameters whose gradients are (3, -4) and (12): a global norm of 13.
struct Gradients {
  tn::Parameter<double> a{tn::ParameterKind::weight, 2}, b{tn::ParameterKind::bias, 1};
  std::vector<tn::Parameter<double>*> all{&a, &b};
  Gradients() {
    a.gradient[0] = 3;
    a.gradient[1] = -4;
    b.gradient[0] = 12;
  }
  std::span<tn::Parameter<double>* const> span() { return all; }
};
}  // namespace

TEST_CASE("clip_grad_norm scales every gradient to the global norm", "[optim][clip]") {
  Gradients g;
  const double norm = tn::clip_grad_norm(g.span(), 6.5);
  CHECK(norm == Approx(13.0));
  const double scale = 6.5 / (13 + 1e-6);  // PyTorch's max_norm / (total_norm + 1e-6)
  CHECK(g.a.gradient[0] == Approx(3 * scale).epsilon(1e-12));
  CHECK(g.a.gradient[1] == Approx(-4 * scale).epsilon(1e-12));
  CHECK(g.b.gradient[0] == Approx(12 * scale).epsilon(1e-12));
  CHECK(tn::gradient_norm(g.span()) == Approx(6.5).epsilon(1e-6));
  // Below the limit nothing changes.
  Gradients h;
  CHECK(tn::clip_grad_norm(h.span(), 20.0) == Approx(13.0));
  CHECK(h.a.gradient[1] == -4);
  CHECK(h.b.gradient[0] == 12);
}

TEST_CASE("clip_grad_value clamps each entry, before the norm when both are asked",
          "[optim][clip]") {
  Gradients g;
  tn::clip_grad_value(g.span(), 3.5);
  CHECK(g.a.gradient[0] == 3);
  CHECK(g.a.gradient[1] == -3.5);
  CHECK(g.b.gradient[0] == 3.5);
  Gradients both;
  tn::clip(both.span(), tn::GradientClipping{.max_norm = 1, .max_value = 3.5});
  const double norm = std::sqrt(9 + 3.5 * 3.5 + 3.5 * 3.5);
  CHECK(both.a.gradient[0] == Approx(3 / (norm + 1e-6)).epsilon(1e-12));
  CHECK(both.b.gradient[0] == Approx(3.5 / (norm + 1e-6)).epsilon(1e-12));
}

TEST_CASE("clipping refuses a limit that is not positive and finite", "[optim][clip]") {
  Gradients g;
  CHECK_THROWS_WITH(tn::clip_grad_norm(g.span(), 0.0),
                    "clip_grad_norm: the limit must be finite and > 0, not 0.000000");
  CHECK_THROWS_WITH(tn::clip_grad_value(g.span(), -1.0),
                    "clip_grad_value: the limit must be finite and > 0, not -1.000000");
  CHECK_THROWS_AS(tn::clip_grad_norm(g.span(), std::nan("")), std::invalid_argument);
  CHECK(g.b.gradient[0] == 12);
}

namespace {
using Net = tn::Sequential<tn::Input<6, 3>, tn::LSTM<5>, tn::Dense<3>>;

std::vector<double> values(tn::Model<Net, double>& model) {
  std::vector<double> all;
  for (auto* p : model.all_parameters())
    all.insert(all.end(), p->value.data(), p->value.data() + p->size());
  return all;
}
double distance(const std::vector<double>& a, const std::vector<double>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}
}  // namespace

TEST_CASE("train_step clips the gradients before the update", "[optim][clip][training]") {
  tn::Tensor<double, tn::Shape<6, 3>> x(4);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(3.0 * double(i));
  const std::vector<int> labels{0, 1, 2, 1};
  const auto step = [&](const tn::GradientClipping& clipping) {
    tn::Model<Net, double> model{tn::init::Xavier{}, 3, 4};
    tn::optim::SGD sgd{{.lr = 1}};  // plain SGD: the update is the gradient itself
    const auto before = values(model);
    model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, sgd, 1.0, 0,
                     nullptr, clipping);
    const auto after = values(model);
    return distance(before, after);
  };
  const double unclipped = step({});
  REQUIRE(unclipped > 0.05);
  CHECK(step({.max_norm = 0.01}) == Approx(0.01).epsilon(1e-4));
  CHECK(step({.max_norm = 2 * unclipped}) == Approx(unclipped).epsilon(1e-12));
  CHECK(step({.max_value = 1e-4}) <= 1e-4 * std::sqrt(double(Net::parameter_count)));
}

TEST_CASE("fit clips every step's gradients", "[optim][clip][training]") {
  tn::data::Dataset data;
  data.channels = 1;
  data.height = 6;
  data.width = 3;
  data.classes = 3;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<float> u(-1, 1);
  for (std::size_t i = 0; i < 32; ++i) {
    for (std::size_t k = 0; k < 18; ++k) data.images.push_back(u(rng));
    data.labels.push_back(int(i % 3));
  }
  const auto moved = [&](tn::GradientClipping clipping) {
    tn::Model<Net, double> model{tn::init::Xavier{}, 3, 8};
    tn::optim::SGD sgd{{.lr = 1}};
    const auto before = values(model);
    tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data,
            {.epochs = 1, .batch = 8, .clip = clipping, .quiet = true});
    return distance(before, values(model));
  };
  // 4 steps of at most 0.001 each.
  CHECK(moved({.max_norm = 1e-3}) <= 4 * 1e-3 + 1e-9);
  CHECK(moved({}) > 0.05);
}
