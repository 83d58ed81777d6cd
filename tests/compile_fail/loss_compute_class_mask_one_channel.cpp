// Softmax over one channel is 1 everywhere: class masks need C >= 2 score maps.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
int main() {
#ifdef TYPENET_SHOULD_FAIL
  tn::Tensor<float, tn::Shape<1, 4, 4>> scores(2);
#else
  tn::Tensor<float, tn::Shape<2, 4, 4>> scores(2);
#endif
  const std::vector<int> classes(2 * 4 * 4, 1);
  return tn::loss::compute(tn::loss::Dice{}, scores, tn::ClassMask<4, 4>{classes}) > 0 ? 0 : 1;
}
// expect: a loss on tn::ClassMask<H, W> labels requires an output of C x H x W class scores
// expect: Dice.*output<1, 4, 4>
