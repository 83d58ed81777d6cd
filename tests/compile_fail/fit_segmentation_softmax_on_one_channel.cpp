// Softmax cross-entropy on the masks of a 1-channel (binary) segmentation output.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<1, tn::Kernel<3>, tn::Pad<1>>>;
int main() {
  tn::Model<Net> model;
  tn::optim::Adam adam;
  const auto data = tn::data::SegmentationDataset::from_arrays(std::vector<float>(64, 0.5f),
                                                               std::vector<int>(64, 1), 1, 8, 8, 2);
#ifdef TYPENET_SHOULD_FAIL
  const tn::loss::SoftmaxCrossEntropy loss;
#else
  const tn::loss::BinaryCrossEntropyWithLogits loss;
#endif
  return tn::fit(model, adam, loss, data).epochs.empty() ? 1 : 0;
}
// expect: a 1-channel output is a binary mask, trained against a 1 x H x W target
