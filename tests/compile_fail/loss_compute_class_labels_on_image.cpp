// tn::loss::compute states the loss/label rule too, not just "no matching function".
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
int main() {
#ifdef TYPENET_SHOULD_FAIL
  tn::Tensor<float, tn::Shape<10, 4, 4>> scores(2);
#else
  tn::Tensor<float, tn::Shape<10>> scores(2);
#endif
  const std::vector<int> labels{3, 7};
  return tn::loss::compute(tn::loss::Hinge{}, scores, labels) > 0 ? 0 : 1;
}
// expect: requires a 1-D output of N >= 2 class
// expect: output<10, 4, 4>
