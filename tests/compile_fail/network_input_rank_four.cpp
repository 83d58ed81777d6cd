// A batch dimension in Input, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<64, 1, 28, 28>, tn::Flatten, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<1, 28, 28>, tn::Flatten, tn::Dense<10>>;
#endif
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Model<Net, double> model;
  return model.parameters().size() == network.parameters().size() ? 0 : 1;
}
// expect: Input<D...> takes one sample's shape
// expect: Input<64, 1, 28, 28>
