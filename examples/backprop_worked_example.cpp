// The lecture's back-propagation example, step by step: a 2-2-2 network with sigmoid units,
// inputs 0.05 and 0.10, targets 0.01 and 0.99, weights w1..w8 = .15 .20 .25 .30 .40 .45 .50 .55,
// biases .35 and .60, error 1/2 sum (target - out)^2, one gradient-descent step with eta = 0.5.
#include <array>
#include <cstdio>
#include <typenet/typenet.hpp>

#include "arguments.hpp"

namespace tn = typenet;

int main(int argc, char** argv) {
  // No options, but --help answers and a stray argument is refused rather than ignored.
  CommandLine app{"The lecture's back-propagation example, step by step (no options)",
                  "backprop_worked_example"};
  if (const auto status = app.parse(argc, argv)) return *status;
  using Net = tn::Sequential<tn::Input<2>, tn::Dense<2>, tn::Sigmoid, tn::Dense<2>, tn::Sigmoid>;
  // Unfused, so that each layer's output (net_h, out_h, net_o, out_o) is kept for printing.
  tn::Network<Net, double, tn::Fusion::off> net(1);
  auto& hidden = net.layer<0>();
  auto& output = net.layer<2>();
  const std::array<double, 8> w{0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55};
  for (std::size_t i = 0; i < 4; ++i) {
    hidden.weight().value[i] = w[i];  // rows: h1 <- (i1, i2) = (w1, w2), h2 <- (w3, w4)
    output.weight().value[i] = w[4 + i];
  }
  hidden.bias().value[0] = hidden.bias().value[1] = 0.35;
  output.bias().value[0] = output.bias().value[1] = 0.60;

  tn::Tensor<double, tn::Shape<2>> x(1), target(1), dy(1);
  x(0, 0) = 0.05;
  x(0, 1) = 0.10;
  target(0, 0) = 0.01;
  target(0, 1) = 0.99;

  const auto& out = net.forward(x, tn::Mode::train);
  std::printf("forward pass\n");
  std::printf("  net_h1 = %.9f  out_h1 = %.9f\n", net.output<0>()(0, 0), net.output<1>()(0, 0));
  std::printf("  net_h2 = %.9f  out_h2 = %.9f\n", net.output<0>()(0, 1), net.output<1>()(0, 1));
  std::printf("  net_o1 = %.9f  out_o1 = %.9f\n", net.output<2>()(0, 0), out(0, 0));
  std::printf("  net_o2 = %.9f  out_o2 = %.9f\n", net.output<2>()(0, 1), out(0, 1));
  // 1/2 sum over the two outputs of (target - out)^2 is the mean of (target - out)^2: MSE.
  const double error = tn::loss::compute(tn::loss::MSE{}, out, target, &dy);
  std::printf("  E_total = %.9f\n\nbackward pass\n", error);
  net.backward(x, dy);
  const double eta = 0.5;
  for (std::size_t i = 0; i < 4; ++i)
    std::printf("  dE/dw%zu = %.9f   w%zu <- %.9f\n", i + 1, hidden.weight().gradient[i], i + 1,
                hidden.weight().value[i] - eta * hidden.weight().gradient[i]);
  for (std::size_t i = 0; i < 4; ++i)
    std::printf("  dE/dw%zu = %.9f   w%zu <- %.9f\n", i + 5, output.weight().gradient[i], i + 5,
                output.weight().value[i] - eta * output.weight().gradient[i]);
  return 0;
}
