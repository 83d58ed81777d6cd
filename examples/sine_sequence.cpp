// Many-to-many: a GRU reads a noisy sum of two sines and, at every step, predicts the next clean
// value. tn::ReturnSequences gives the state of every step, tn::TimeDistributed<tn::Dense<1>>
// maps each to a prediction, and the MSE compares all 50 of them with the targets.
//
//   sine_sequence [--steps N]    (training steps, default 600; --help lists the arguments)
//
// Prints the test MSE beside two baselines: predicting the mean (0), and repeating the last
// noisy input (what a model that learned nothing about the signal would do best).
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <typenet/typenet.hpp>

#include "arguments.hpp"

namespace tn = typenet;

constexpr std::size_t steps = 50;
using Net = tn::Sequential<tn::Input<steps, 1>, tn::GRU<32, tn::ReturnSequences>,
                           tn::TimeDistributed<tn::Dense<1>>>;
static_assert(Net::output_shape == tn::Shape<steps, 1>{});

// A batch of sequences: random frequencies and phases, noise of standard deviation 0.1 on the
// inputs; target[t] is the clean signal at t + 1.
void make_batch(tn::Tensor<float, tn::Shape<steps, 1>>& x,
                tn::Tensor<float, tn::Shape<steps, 1>>& y, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> frequency(0.1, 0.3), phase(0, 6.2832);
  std::normal_distribution<double> noise(0, 0.1);
  for (std::size_t n = 0; n < x.batch(); ++n) {
    const double f1 = frequency(rng), f2 = 2.1 * frequency(rng), p1 = phase(rng), p2 = phase(rng);
    const auto signal = [&](double t) {
      return 0.6 * std::sin(f1 * t + p1) + 0.3 * std::sin(f2 * t + p2);
    };
    for (std::size_t t = 0; t < steps; ++t) {
      x(n, t, 0) = float(signal(double(t)) + noise(rng));
      y(n, t, 0) = float(signal(double(t + 1)));
    }
  }
}

int main(int argc, char** argv) {
  std::size_t training_steps = 600;
  CommandLine app{"A GRU predicts the next value of a noisy sum of sines", "sine_sequence"};
  app.add_count("--steps", training_steps, "training steps", 1, 10'000'000);
  if (const auto status = app.parse(argc, argv)) return *status;
  std::cout << tn::summary<Net>("GRU(32) many-to-many") << "\n";

  constexpr std::size_t batch = 32;
  tn::Model<Net> model{tn::init::Xavier{}, /*seed=*/1, batch};
  tn::optim::Adam adam{{.lr = 1e-2}};
  tn::Tensor<float, tn::Shape<steps, 1>> x(batch), y(batch);
  std::mt19937_64 rng(7);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t s = 0; s < training_steps; ++s) {
    make_batch(x, y, rng);
    const double loss = model.train_step(x, y, tn::loss::MSE{}, adam, 1e-2, s, nullptr,
                                         {.max_norm = 1.0});  // clip_grad_norm_(..., 1)
    if ((s + 1) % 100 == 0) std::cout << "step " << s + 1 << ": training MSE " << loss << "\n";
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // 20 unseen batches: the model, predicting zero, and repeating the last noisy input.
  double model_error = 0, zero_error = 0, repeat_error = 0;
  std::size_t count = 0;
  for (int b = 0; b < 20; ++b) {
    make_batch(x, y, rng);
    const auto& prediction = model.predict(x);
    for (std::size_t i = 0; i < y.size(); ++i, ++count) {
      model_error += (prediction[i] - y[i]) * (prediction[i] - y[i]);
      zero_error += y[i] * y[i];
      repeat_error += (x[i] - y[i]) * (x[i] - y[i]);
    }
  }
  std::cout << "\ntest MSE: " << model_error / double(count)
            << " (predicting 0: " << zero_error / double(count)
            << ", repeating the noisy input: " << repeat_error / double(count)
            << ")\ntraining: " << training_steps << " steps of " << batch << " sequences in "
            << seconds << " s\n";
  if (model_error < repeat_error) return 0;
  report_error("sine_sequence",
               "the GRU did not beat repeating the noisy input on the test batches; train it "
               "longer (--steps, default 600)");
  return 1;
}
