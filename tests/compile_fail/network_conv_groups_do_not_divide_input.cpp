// 4 groups cannot split 6 input channels, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<6, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Groups<4>>,
                           tn::Flatten, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<6, 8, 8>, tn::Conv2D<8, tn::Kernel<3>, tn::Groups<2>>,
                           tn::Flatten, tn::Dense<10>>;
#endif
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: requires G to divide the input channels
// expect: layer<0>.*input<6, 8, 8>.*out_channels<8>.*groups<4>
