// Class labels (a classification dataset) in fit, for a network that outputs an image.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>>;
#else
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<4, tn::Kernel<3>, tn::Pad<1>>,
                           tn::Flatten, tn::Dense<4>>;
#endif
int main() {
  tn::Model<Net> model;
  tn::optim::SGD sgd;
  const auto data =
      tn::data::Dataset::from_arrays(std::vector<float>(2 * 64, 0.5f), {0, 1}, 1, 8, 8, 2);
  return tn::fit(model, sgd, tn::loss::SoftmaxCrossEntropy{}, data).epochs.empty() ? 1 : 0;
}
// expect: requires a 1-D output of N >= 2 class scores
// expect: SoftmaxCrossEntropy.*output<4, 8, 8>.*ClassIndex
