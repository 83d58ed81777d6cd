// The SVM loss takes class indices; a target tensor is stated as the mistake it is.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
int main() {
  tn::Tensor<float, tn::Shape<10>> scores(2);
#ifdef TYPENET_SHOULD_FAIL
  tn::Tensor<float, tn::Shape<10>> labels(2);
#else
  const std::vector<int> labels{3, 7};
#endif
  return tn::loss::compute(tn::loss::Hinge{}, scores, labels) > 0 ? 0 : 1;
}
// expect: requires tn::ClassIndex labels
// expect: Hinge
