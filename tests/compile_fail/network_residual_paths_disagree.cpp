// A residual branch that changes the channels, added to an identity shortcut, through
// tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net =
    tn::Sequential<tn::Input<64, 8, 8>, tn::Residual<tn::Conv2D<128, tn::Kernel<3>, tn::Pad<1>>>,
                   tn::Flatten, tn::Dense<10>>;
#else
using Net = tn::Sequential<
    tn::Input<64, 8, 8>,
    tn::Residual<tn::Conv2D<128, tn::Kernel<3>, tn::Pad<1>>, tn::Conv2D<128, tn::Kernel<1>>>,
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
// expect: requires the branch and the shortcut to produce the same shape
// expect: layer<0>.*input<64, 8, 8>.*branch_output<128, 8, 8>.*shortcut_output<64, 8, 8>
