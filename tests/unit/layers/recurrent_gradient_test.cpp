// SimpleRNN, LSTM, GRU and TimeDistributed against central finite differences (gradcheck.hpp),
// in double: every option, odd sizes, batch > 1, stacked layers and layers after them.
#include "../gradcheck.hpp"

namespace tn = typenet;
using gradcheck::check_layer;
using gradcheck::check_network;
using tn::Shape;

TEST_CASE("SimpleRNN gradients", "[gradient][recurrent]") {
  GRADCHECK_REQUIRE((check_layer<tn::SimpleRNN<3>, Shape<4, 5>>(3)));
  GRADCHECK_REQUIRE((check_layer<tn::SimpleRNN<5, tn::ReLU>, Shape<3, 2>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::SimpleRNN<3, tn::ReturnSequences>, Shape<5, 3>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::SimpleRNN<4, tn::Bidirectional, tn::Bias<false>>, Shape<3, 3>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::SimpleRNN<3, tn::ReLU, tn::Bidirectional, tn::ReturnSequences>, Shape<4, 2>>(
          3)));
}

TEST_CASE("LSTM gradients", "[gradient][recurrent]") {
  GRADCHECK_REQUIRE((check_layer<tn::LSTM<3>, Shape<4, 5>>(3)));
  GRADCHECK_REQUIRE((check_layer<tn::LSTM<5>, Shape<1, 3>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::LSTM<3, tn::ReturnSequences>, Shape<5, 2>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::LSTM<2, tn::Bias<false>>, Shape<3, 3>>(1)));
  GRADCHECK_REQUIRE((check_layer<tn::LSTM<3, tn::Bidirectional>, Shape<4, 3>>(2)));
  GRADCHECK_REQUIRE(
      (check_layer<tn::LSTM<3, tn::ReturnSequences, tn::Bidirectional>, Shape<5, 4>>(3)));
}

TEST_CASE("GRU gradients", "[gradient][recurrent]") {
  GRADCHECK_REQUIRE((check_layer<tn::GRU<3>, Shape<4, 5>>(3)));
  GRADCHECK_REQUIRE((check_layer<tn::GRU<5>, Shape<1, 2>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::GRU<3, tn::ReturnSequences>, Shape<5, 2>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::GRU<2, tn::Bias<false>>, Shape<3, 3>>(2)));
  GRADCHECK_REQUIRE((check_layer<tn::GRU<3, tn::Bidirectional>, Shape<4, 3>>(2)));
  GRADCHECK_REQUIRE((
      check_layer<tn::GRU<4, tn::Bidirectional, tn::ReturnSequences, tn::Bias<false>>, Shape<3, 3>>(
          3)));
}

TEST_CASE("TimeDistributed gradients", "[gradient][recurrent]") {
  GRADCHECK_REQUIRE((check_layer<tn::TimeDistributed<tn::Dense<3>>, Shape<4, 5>>(3)));
  GRADCHECK_REQUIRE((check_layer<tn::TimeDistributed<tn::Maxout<2, 3>>, Shape<3, 4>>(2)));
}

TEST_CASE("Stacked recurrent networks' gradients", "[gradient][recurrent]") {
  using Stacked = tn::Sequential<tn::Input<5, 3>, tn::LSTM<4, tn::ReturnSequences>,
                                 tn::GRU<3, tn::Bidirectional, tn::ReturnSequences>, tn::Dropout<>,
                                 tn::SimpleRNN<2>, tn::Dense<3>>;
  GRADCHECK_REQUIRE((check_network<Stacked>(3, 1, tn::Mode::eval)));
  using PerStep =
      tn::Sequential<tn::Input<6, 2>, tn::GRU<5, tn::ReturnSequences>,
                     tn::TimeDistributed<tn::Dense<2>>, tn::Tanh, tn::Flatten, tn::Dense<4>>;
  GRADCHECK_REQUIRE((check_network<PerStep>(2)));
}
