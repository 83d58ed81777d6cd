// An ensemble averages class probabilities, one softmax per sample: members that put out maps
// (a convolutional head) are refused, with the shape they put out.
#include <typenet/typenet.hpp>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<2, tn::Kernel<5>>>;
#else
using Net =
    tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<2, tn::Kernel<5>>, tn::Flatten, tn::Dense<2>>;
#endif
int main() {
  tn::Model<Net> a, b;
  tn::Ensemble ensemble(a, b);
  return ensemble.size() == 2 ? 0 : 1;
}
// expect: Ensemble<Models...> averages class probabilities
// expect: output<2, 4, 4>
