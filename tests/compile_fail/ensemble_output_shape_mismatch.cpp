// An ensemble averages its members' class probabilities: a member with another number of
// classes cannot join it, and the error names the member and both shapes.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Ten = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Other =
    tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<16>, tn::ReLU, tn::Dense<5>>;
#else
using Other =
    tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<16>, tn::ReLU, tn::Dense<10>>;
#endif
int main() {
  tn::Model<Ten> a;
  tn::Model<Other> b;
  tn::Ensemble ensemble(a, b);
  return ensemble.size() == 2 ? 0 : 1;
}
// expect: Ensemble<Models...> requires every member to put out the same shape
// expect: member<1>
// expect: first_member_output<10>
// expect: output<5>
