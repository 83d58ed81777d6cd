// Four 2x2 poolings of an 8x8 image, through tn::Network: the fourth has nothing to pool.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Kernel<2>>,
                           tn::MaxPool2D<tn::Kernel<2>>, tn::MaxPool2D<tn::Kernel<2>>,
                           tn::MaxPool2D<tn::Kernel<2>>, tn::Flatten, tn::Dense<10>>;
#else
using Net =
    tn::Sequential<tn::Input<4, 8, 8>, tn::MaxPool2D<tn::Kernel<2>>, tn::MaxPool2D<tn::Kernel<2>>,
                   tn::MaxPool2D<tn::Kernel<2>>, tn::Flatten, tn::Dense<10>>;
#endif
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: window larger than the padded input
// expect: layer<3>.*MaxPool2D.*input<4, 1, 1>.*kernel<2>
