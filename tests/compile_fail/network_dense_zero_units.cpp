// A Dense layer with no outputs, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<100>, tn::Dense<32>, tn::ReLU, tn::Dense<0>>;
#else
using Net = tn::Sequential<tn::Input<100>, tn::Dense<32>, tn::ReLU, tn::Dense<2>>;
#endif
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: requires at least one output unit
// expect: layer<2>.*Dense<0>.*units<0>
