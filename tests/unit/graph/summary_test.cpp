// tn::summary: the rows, the totals and the nested rows of composite layers, as printed.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <typenet/typenet.hpp>

namespace tn = typenet;

namespace {
using LeNet5 =
    tn::Sequential<tn::Input<1, 32, 32>, tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU,
                   tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Conv2D<16, tn::Kernel<5>>,
                   tn::ReLU, tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>, tn::Flatten,
                   tn::Dense<120>, tn::ReLU, tn::Dense<84>, tn::ReLU, tn::Dense<10>>;
}  // namespace

TEST_CASE("summary lists every layer with shape, parameters and MACs", "[summary]") {
  const tn::Summary table = tn::summary<LeNet5>("LeNet-5");
  REQUIRE(table.rows().size() == 13);  // Input + 12 layers
  CHECK(table.rows()[0].layer == "Input");
  CHECK(table.rows()[1].layer == "Conv2D(6, 5x5)");
  CHECK(table.rows()[1].index == "0");
  CHECK(table.rows()[3].layer == "MaxPool2D(2x2)");
  CHECK(table.rows()[12].layer == "Dense(10)");
  CHECK(tn::shape_text(table.rows()[1].output_shape) == "6x28x28");
  CHECK(table.parameter_count() == LeNet5::parameter_count);
  CHECK(table.macs() == LeNet5::macs);

  const std::string text = table.to_string();
  CHECK(text.rfind("LeNet-5\n", 0) == 0);
  CHECK(text.find(" 0  Conv2D(6, 5x5)   6x28x28              156  117,600\n") != std::string::npos);
  CHECK(text.find("11  Dense(10)        10                   850      840\n") != std::string::npos);
  CHECK(text.find("    total                              61,706  416,520\n") != std::string::npos);

  std::ostringstream streamed;
  streamed << table;
  CHECK(streamed.str() == text);
}

TEST_CASE("summary names layers by their options", "[summary]") {
  using Net = tn::Sequential<
      tn::Input<3, 17, 17>,
      tn::Conv2D<8, tn::Kernel<3, 5>, tn::Stride<2>, tn::Pad<1, 2>, tn::Groups<1>, tn::Bias<false>>,
      tn::Conv2D<8, tn::Kernel<3>, tn::Dilation<2>, tn::Groups<4>, tn::Floor>,
      tn::MaxPool2D<tn::Kernel<3>, tn::Stride<2>, tn::Ceil>, tn::LeakyReLU<>,
      tn::Dropout<tn::PerMille<300>>, tn::Flatten, tn::Maxout<4, 3>>;
  const tn::Summary table = tn::summary<Net>();
  CHECK(table.rows()[1].layer == "Conv2D(8, 3x5, stride 2, pad 1x2, no bias)");
  CHECK(table.rows()[2].layer == "Conv2D(8, 3x3, dilation 2, groups 4, floor)");
  CHECK(table.rows()[3].layer == "MaxPool2D(3x3, stride 2, ceil)");
  CHECK(table.rows()[4].layer == "LeakyReLU(1/100)");
  CHECK(table.rows()[5].layer == "Dropout(3/10)");
  CHECK(table.rows()[7].layer == "Maxout(4, 3 pieces)");
  CHECK(tn::shape_text(table.rows()[1].output_shape) == "8x9x9");
  CHECK(tn::shape_text(table.rows()[3].output_shape) == "8x2x2");
}

TEST_CASE("shape_text joins dimensions", "[summary]") {
  CHECK(tn::shape_text({10}) == "10");
  CHECK(tn::shape_text({3, 224, 224}) == "3x224x224");
  CHECK(tn::shape_text({}) == "invalid");
}
