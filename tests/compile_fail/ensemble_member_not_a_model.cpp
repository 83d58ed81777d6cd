// An ensemble's members are Models: a bare Network (no initialised weights of its own to speak
// of, no predict) is refused, naming the member.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<10>>;
int main() {
  tn::Model<Net> a;
#ifdef TYPENET_SHOULD_FAIL
  tn::Network<Net> b(1);
#else
  tn::Model<Net> b;
#endif
  tn::Ensemble ensemble(a, b);
  return ensemble.size() == 2 ? 0 : 1;
}
// expect: Ensemble<Models...> takes tn::Model<Net, T> members
// expect: member<1>
