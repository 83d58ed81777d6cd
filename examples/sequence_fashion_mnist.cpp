// Fashion-MNIST read as sequences: each 28x28 image is 28 steps (its rows) of 28 features, a
// recurrent layer reads the rows top to bottom and a Dense layer classifies its last state.
//
//   sequence_fashion_mnist [OUTPUT_DIR] [--cell lstm|gru|rnn] [--epochs N] [--train-subset N]
//                          [--test-subset N] [--threads N]
//
// Writes the training report OUTPUT_DIR/index.html (history.csv, curves.svg, pictures; see
// fashion_mnist.hpp) and model.safetensors (default
// sequence-fashion-mnist/). The weights carry PyTorch's names: "0.weight_ih_l0", ... of an
// nn.LSTM(28, 128, batch_first=True), then "1.weight" and "1.bias" of the nn.Linear(128, 10).
#include <cstring>
#include <string>
#include <typenet/typenet.hpp>
#include <vector>

#include "fashion_mnist.hpp"

namespace tn = typenet;

template <class Recurrent>
using RowReader = tn::Sequential<tn::Input<28, 28>, Recurrent, tn::Dense<10>>;

using Lstm = RowReader<tn::LSTM<128>>;
using Gru = RowReader<tn::GRU<128>>;
using Rnn = RowReader<tn::SimpleRNN<128>>;
static_assert(Lstm::parameter_count == 80'896 + 1'290);  // nn.LSTM(28, 128) + nn.Linear(128, 10)
static_assert(Lstm::output_shape == tn::Shape<10>{});

int main(int argc, char** argv) {
  // --cell picks the network; every other argument goes to the shared Fashion-MNIST run.
  std::string cell = "lstm";
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--cell") == 0 && i + 1 < argc)
      cell = argv[++i];
    else
      rest.push_back(argv[i]);
  }
  const int count = int(rest.size());
  const FashionMnistRun run{.program = "sequence_fashion_mnist",
                            .title = "",
                            .output = "sequence-fashion-mnist",
                            .epochs = 8,
                            .pad = 0,
                            .learning_rate = 2e-3};
  if (cell == "lstm") {
    FashionMnistRun lstm = run;
    lstm.title = "LSTM(128) over 28 rows";
    return fashion_mnist_main<Lstm>(lstm, count, rest.data());
  }
  if (cell == "gru") {
    FashionMnistRun gru = run;
    gru.title = "GRU(128) over 28 rows";
    return fashion_mnist_main<Gru>(gru, count, rest.data());
  }
  if (cell == "rnn") {
    FashionMnistRun rnn = run;
    rnn.title = "SimpleRNN(128) over 28 rows";
    rnn.learning_rate = 5e-4;  // tanh recurrences over 28 steps diverge at the others' rate
    return fashion_mnist_main<Rnn>(rnn, count, rest.data());
  }
  std::cerr << "sequence_fashion_mnist: --cell takes lstm, gru or rnn, not " << cell << "\n";
  return 1;
}
