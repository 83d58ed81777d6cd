// Dense straight on a sequence input, through tn::Network.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<10, 3>, tn::Dense<4>>;
#else
using Net = tn::Sequential<tn::Input<10, 3>, tn::TimeDistributed<tn::Dense<4>>>;
#endif
int main() {
  tn::Network<Net> network(2);  // the rule's one error; nothing below adds another
  tn::Tensor<float, Net::input_type> x(2);
  [[maybe_unused]] const auto& y = network.forward(x);
  return 0;
}
// expect: and this is a Steps x Features sequence: write tn::TimeDistributed<tn::Dense<N>> to apply it at every step
// expect: layer<0>.*Dense<4>.*input<10, 3>
