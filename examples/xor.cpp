// XOR: a single perceptron cannot learn it (no line separates the classes); a 2-layer MLP can.
#include <array>
#include <cmath>
#include <iostream>
#include <typenet/typenet.hpp>

#include "arguments.hpp"

namespace tn = typenet;

int main(int argc, char** argv) {
  // No options, but --help answers and a stray argument is refused rather than ignored.
  CommandLine app{"XOR: a perceptron cannot learn it, a 2-layer MLP can (no options)", "xor"};
  if (const auto status = app.parse(argc, argv)) return *status;
  const std::array<std::array<double, 2>, 4> inputs{{{0, 0}, {0, 1}, {1, 0}, {1, 1}}};
  const auto run_perceptron = [&](const char* name, std::array<int, 4> labels) {
    tn::Perceptron<2> perceptron;
    int epochs = 0;
    for (; epochs < 100; ++epochs) {
      bool mistakes = false;
      for (std::size_t i = 0; i < 4; ++i) mistakes |= perceptron.learn(inputs[i], labels[i]);
      if (!mistakes) break;
    }
    int correct = 0;
    for (std::size_t i = 0; i < 4; ++i) correct += perceptron.predict(inputs[i]) == labels[i];
    std::cout << "perceptron on " << name << ": " << correct << "/4 correct (" << 25 * correct
              << "% accuracy), "
              << (epochs < 100 ? "converged after " + std::to_string(epochs + 1) + " epochs"
                               : std::string("no convergence in 100 epochs"))
              << "\n";
  };
  run_perceptron("AND", {-1, -1, -1, 1});
  run_perceptron("OR", {-1, 1, 1, 1});
  run_perceptron("XOR", {-1, 1, 1, -1});

  // The same four points for a 2-4-2 network with tanh hidden units.
  using MLP = tn::Sequential<tn::Input<2>, tn::Dense<4>, tn::Tanh, tn::Dense<2>>;
  tn::data::Dataset xor_data;
  xor_data.channels = xor_data.height = 1;
  xor_data.width = 2;
  xor_data.classes = 2;
  for (int repeat = 0; repeat < 16; ++repeat)
    for (std::size_t i = 0; i < 4; ++i) {
      xor_data.images.push_back(float(inputs[i][0]));
      xor_data.images.push_back(float(inputs[i][1]));
      xor_data.labels.push_back(i == 1 || i == 2 ? 1 : 0);
    }
  tn::Model<MLP> mlp{tn::init::XavierUniform{}, /*seed=*/3, 64};
  tn::optim::Adam adam{{.lr = 0.05}};
  tn::fit(mlp, adam, tn::loss::SoftmaxCrossEntropy{}, xor_data,
          {.epochs = 200, .batch = 16, .quiet = true});
  const auto result = tn::evaluate(mlp, xor_data.head(4));
  std::cout << "2-layer MLP on XOR: " << int(std::lround(4 * result.accuracy)) << "/4 correct ("
            << 100 * result.accuracy << "% accuracy)\n";
  return 0;
}
