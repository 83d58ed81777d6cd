// An option where a layer belongs, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::Kernel<3>,
                           tn::Flatten, tn::Dense<10>>;
#else
using Net =
    tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>>, tn::Flatten, tn::Dense<10>>;
#endif
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  const auto& y = network.forward(x, tn::Mode::train);
  network.backward(x, y);
  tn::Model<Net, double> model;
  return network.parameters().size() == model.parameters().size() ? 0 : 1;
}
// expect: requires every argument after Input<...> to be a layer spec
// expect: layer<1>, typenet::Kernel<3
