// tn::summary rows of recurrent networks: names with their options, Steps x Hidden or Hidden
// shapes, PyTorch's parameter counts, MACs.
#include <catch2/catch.hpp>
#include <string>
#include <typenet/typenet.hpp>

namespace tn = typenet;

TEST_CASE("summary shows recurrent layers with their options and shapes", "[summary][recurrent]") {
  using Valid =
      tn::Sequential<tn::Input<28, 28>, tn::LSTM<64, tn::ReturnSequences, tn::Bidirectional>,
                     tn::Dropout<>, tn::GRU<32, tn::ReturnSequences, tn::Bias<false>>,
                     tn::TimeDistributed<tn::Dense<8>>, tn::SimpleRNN<4, tn::ReLU>>;
  const tn::Summary table = tn::summary<Valid>();
  REQUIRE(table.rows().size() == 6);
  CHECK(table.rows()[0].output_shape == std::vector<std::size_t>{28, 28});
  CHECK(table.rows()[1].layer == "LSTM(64, bidirectional, sequences)");
  CHECK(tn::shape_text(table.rows()[1].output_shape) == "28x128");
  // nn.LSTM(28, 64, bidirectional=True): 2 * 4*64 * (28 + 64 + 2)
  CHECK(table.rows()[1].parameters == 48'128);
  CHECK(table.rows()[1].macs == 28 * 2 * 4 * 64 * (28 + 64));
  CHECK(table.rows()[3].layer == "GRU(32, sequences, no bias)");
  CHECK(table.rows()[3].parameters == 3 * 32 * (128 + 32));
  CHECK(table.rows()[4].layer == "TimeDistributed(Dense(8))");
  CHECK(tn::shape_text(table.rows()[4].output_shape) == "28x8");
  CHECK(table.rows()[4].macs == 28 * 32 * 8);
  CHECK(table.rows()[5].layer == "SimpleRNN(4, relu)");
  CHECK(tn::shape_text(table.rows()[5].output_shape) == "4");
  CHECK(table.parameter_count() == Valid::parameter_count);
  CHECK(table.to_string().find("LSTM(64, bidirectional, sequences)") != std::string::npos);
}
