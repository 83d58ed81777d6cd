// Fashion-MNIST read as sequences: each 28x28 image is 28 steps (its rows) of 28 features, a
// recurrent layer reads the rows top to bottom and a Dense layer classifies its last state.
//
//   sequence_fashion_mnist [OUTPUT_DIR] [--cell lstm|gru|rnn] [--epochs N] [--train-subset N]
//                          [--test-subset N] [--threads N]
//   sequence_fashion_mnist predict MODEL IMAGE... [--cell lstm|gru|rnn] [--top N] [--threads N]
//
// predict needs the --cell the model was trained with (another cell's weight file is refused,
// naming both networks and the --cell its tensors' shapes show).
//
// Writes the training report OUTPUT_DIR/index.html (history.csv, curves.svg, pictures; see
// fashion_mnist.hpp) and model.safetensors (default
// sequence-fashion-mnist/). The weights carry PyTorch's names: "0.weight_ih_l0", ... of an
// nn.LSTM(28, 128, batch_first=True), then "1.weight" and "1.bias" of the nn.Linear(128, 10).
#include <cstring>
#include <exception>
#include <filesystem>
#include <string>
#include <typenet/typenet.hpp>

#include "fashion_mnist.hpp"

namespace tn = typenet;

template <class Recurrent>
using RowReader = tn::Sequential<tn::Input<28, 28>, Recurrent, tn::Dense<10>>;

using Lstm = RowReader<tn::LSTM<128>>;
using Gru = RowReader<tn::GRU<128>>;
using Rnn = RowReader<tn::SimpleRNN<128>>;
static_assert(Lstm::parameter_count == 80'896 + 1'290);  // nn.LSTM(28, 128) + nn.Linear(128, 10)
static_assert(Lstm::output_shape == tn::Shape<10>{});

// The cell that trained a weight file, from its recurrent layer's tensors (PyTorch's names):
// weight_ih_l0 stacks the gates' input weights, 4 x hidden rows for an LSTM (i, f, g, o), 3 x
// for a GRU (r, z, n), 1 x for a simple RNN; weight_hh_l0 is hidden wide. "" when unknown.
std::string cell_of(const std::filesystem::path& model, std::string& evidence) {
  try {
    const auto file = tn::io::Safetensors::read(model);
    const auto* input = file.find("0.weight_ih_l0");
    const auto* recurrent = file.find("0.weight_hh_l0");
    if (input == nullptr || recurrent == nullptr || input->shape.size() != 2 ||
        recurrent->shape.size() != 2 || recurrent->shape[1] == 0 ||
        input->shape[0] % recurrent->shape[1] != 0)
      return {};
    const std::size_t gates = input->shape[0] / recurrent->shape[1];
    evidence = "its 0.weight_ih_l0 is " + std::to_string(input->shape[0]) + " x " +
               std::to_string(input->shape[1]) + ": " + std::to_string(gates) + " gate" +
               (gates == 1 ? "" : "s") + " of " + std::to_string(recurrent->shape[1]) + " units";
    return gates == 4 ? "lstm" : gates == 3 ? "gru" : gates == 1 ? "rnn" : "";
  } catch (const std::exception&) {  // the load's own error says what is wrong with the file
    return {};
  }
}

int main(int argc, char** argv) {
  // The cell picks the network type, so it is looked up before the arguments are parsed (in
  // either form: --cell gru, --cell=gru); CommandLine then parses it again with the rest, which
  // lists it in --help and refuses a cell it does not know.
  std::string cell = "lstm";
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--cell" && i + 1 < argc)
      cell = argv[i + 1];
    else if (argument.starts_with("--cell="))
      cell = argument.substr(std::strlen("--cell="));
  }
  std::string parsed;
  const auto cell_option = [&](CommandLine& app) {
    app.add_choice("--cell", parsed, "the recurrent layer: lstm, gru or rnn (SimpleRNN)",
                   {"lstm", "gru", "rnn"}, "lstm");
  };
  const FashionMnistRun run{.program = "sequence_fashion_mnist",
                            .title = "",
                            .output = "sequence-fashion-mnist",
                            .epochs = 8,
                            .pad = 0,
                            .learning_rate = 2e-3,
                            .model_hint = [&cell](const std::filesystem::path& model) {
                              std::string evidence;
                              const std::string trained = cell_of(model, evidence);
                              if (trained.empty() || trained == cell) return std::string();
                              return model.string() + " was trained with --cell " + trained + " (" +
                                     evidence + "), not --cell " + cell + ": use --cell " + trained;
                            }};
  if (cell == "gru") {
    FashionMnistRun gru = run;
    gru.title = "GRU(128) over 28 rows";
    return fashion_mnist_main<Gru>(gru, argc, argv, cell_option);
  }
  if (cell == "rnn") {
    FashionMnistRun rnn = run;
    rnn.title = "SimpleRNN(128) over 28 rows";
    rnn.learning_rate = 5e-4;  // tanh recurrences over 28 steps diverge at the others' rate
    return fashion_mnist_main<Rnn>(rnn, argc, argv, cell_option);
  }
  // lstm, and any other word: CommandLine refuses that one with the accepted cells.
  FashionMnistRun lstm = run;
  lstm.title = "LSTM(128) over 28 rows";
  return fashion_mnist_main<Lstm>(lstm, argc, argv, cell_option);
}
