// A network without Input<...>, through tn::Model.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU, tn::Flatten, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<1, 32, 32>, tn::Conv2D<6, tn::Kernel<5>>, tn::ReLU,
                           tn::Flatten, tn::Dense<10>>;
#endif
int main() {
  tn::Model<Net> model;  // the rule's one error; nothing below adds another
  tn::Network<Net, double> network(2);
  return model.parameters().size() == network.parameters().size() ? 0 : 1;
}
// expect: requires its first argument to be tn::Input
