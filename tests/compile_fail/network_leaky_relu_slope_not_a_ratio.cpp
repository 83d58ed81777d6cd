// A slope that is not a std::ratio, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<10>, tn::Dense<10>, tn::LeakyReLU<double>>;
#else
using Net = tn::Sequential<tn::Input<10>, tn::Dense<10>, tn::LeakyReLU<std::ratio<1, 10>>>;
#endif
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: LeakyReLU<Slope> and ELU<Alpha> take their parameter as a std::ratio
// expect: layer<1>, typenet::LeakyReLU<double>
