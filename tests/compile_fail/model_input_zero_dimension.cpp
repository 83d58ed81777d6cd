// A sample with no pixels, through tn::Model.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 0, 28>, tn::Flatten, tn::Dense<10>>;
#else
using Net = tn::Sequential<tn::Input<1, 28, 28>, tn::Flatten, tn::Dense<10>>;
#endif
int main() {
  tn::Model<Net> model;  // the rule's one error; nothing below adds another
  tn::Network<Net, double> network(2);
  return model.parameters().size() == network.parameters().size() ? 0 : 1;
}
// expect: Input<D...> requires every dimension to be at least 1
// expect: Input<1, 0, 28>
