// Padding 2 for a 3x3 average, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<4, 7, 7>, tn::ReLU,
                           tn::AvgPool2D<tn::Kernel<3>, tn::Stride<1>, tn::Pad<2>>, tn::Flatten,
                           tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<4, 7, 7>, tn::ReLU,
                           tn::AvgPool2D<tn::Kernel<3>, tn::Stride<1>, tn::Pad<1>>, tn::Flatten,
                           tn::Dense<10>>;
#endif
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: MaxPool2D/AvgPool2D require pad <= kernel/2
// expect: layer<1>.*AvgPool2D.*pad<2>.*kernel<3>
