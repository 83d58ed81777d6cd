// Concat of a 3x3 unpadded branch and a 1x1 one, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<4, 8, 8>,
                           tn::Concat<tn::Conv2D<8, tn::Kernel<3>>, tn::Conv2D<8, tn::Kernel<1>>>,
                           tn::Flatten, tn::Dense<10>>;
#else
using Net = tn::Sequential<
    tn::Input<4, 8, 8>,
    tn::Concat<tn::Conv2D<8, tn::Kernel<3>, tn::Pad<1>>, tn::Conv2D<8, tn::Kernel<1>>>, tn::Flatten,
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
// expect: Concat<Branch...> requires every branch to produce the same height and width
// expect: layer<0>.*input<4, 8, 8>.*branch_output<8, 6, 6>.*branch_output<8, 8, 8>
