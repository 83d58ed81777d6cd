// "No step allocates after the first" for the recurrent layers (every cell and option) and
// TimeDistributed: the time loop's buffers are the layers' own, the GEMMs' packing and GRU's
// per-step projection come from the per-thread scratch.
#include "steps.hpp"

namespace tn = typenet;

namespace {

// 8 steps of 12 features, 32 hidden units, a batch of 32: the kernels split the samples and the
// projections over two threads.
template <class Recurrent>
using Classifier = tn::Sequential<tn::Input<8, 12>, Recurrent, tn::Dense<3>>;
template <class Recurrent>
using PerStep =
    tn::Sequential<tn::Input<8, 12>, Recurrent, tn::TimeDistributed<tn::Dense<2>>, tn::Tanh>;

constexpr std::size_t batch = 32;

template <class... Specs>
void classifiers() {
  (allocation::require_no_allocation<Classifier<Specs>>(batch), ...);
}
template <class... Specs>
void per_step() {
  (allocation::require_no_allocation<PerStep<Specs>>(batch, tn::loss::MSE{}), ...);
}

}  // namespace

TEST_CASE("Recurrent layers allocate nothing after the first step", "[allocation][recurrent]") {
  classifiers<tn::SimpleRNN<32>, tn::SimpleRNN<32, tn::ReLU, tn::Bidirectional>, tn::LSTM<32>,
              tn::LSTM<32, tn::Bidirectional, tn::Bias<false>>, tn::GRU<32>,
              tn::GRU<32, tn::Bidirectional>>();
  per_step<tn::SimpleRNN<32, tn::ReturnSequences>, tn::LSTM<32, tn::ReturnSequences>,
           tn::GRU<32, tn::ReturnSequences, tn::Bidirectional>>();
}

TEST_CASE("TimeDistributed and stacked recurrent layers allocate nothing after the first step",
          "[allocation][recurrent]") {
  using Stacked = tn::Sequential<tn::Input<8, 12>, tn::LSTM<32, tn::ReturnSequences>, tn::Dropout<>,
                                 tn::GRU<16>, tn::Dense<3>>;
  allocation::require_no_allocation<Stacked>(batch);
  using Distributed = tn::Sequential<tn::Input<8, 12>, tn::TimeDistributed<tn::Dense<16>>, tn::ReLU,
                                     tn::Flatten, tn::Dense<3>>;
  allocation::require_no_allocation<Distributed>(batch);
}

TEST_CASE("Gradient clipping allocates nothing after the first step", "[allocation][recurrent]") {
  using Net = tn::Sequential<tn::Input<8, 12>, tn::GRU<32>, tn::Dense<3>>;
  const tn::GradientClipping clipping{.max_norm = 0.5, .max_value = 0.1};
  tn::Model<Net> model{tn::init::Xavier{}, 1, batch};
  tn::Tensor<float, Net::input_type> x(batch);
  allocation::randomise(x, 3);
  std::vector<int> labels(batch, 1);
  tn::optim::SGD sgd;
  const auto step = [&] {
    model.train_step(x, std::span<const int>(labels), tn::loss::SoftmaxCrossEntropy{}, sgd, 0.01, 0,
                     nullptr, clipping);
  };
  step();
  CHECK(allocation::guarded([&] {
          for (int s = 0; s < allocation::counted_steps; ++s) step();
        }) == 0);
}
