// evaluate's loss on a 1-channel (binary) segmentation output: the sibling of fit's case.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Conv2D<1, tn::Kernel<3>, tn::Pad<1>>>;
int main() {
  tn::Model<Net> model;
  const auto data = tn::data::SegmentationDataset::from_arrays(std::vector<float>(64, 0.5f),
                                                               std::vector<int>(64, 1), 1, 8, 8, 2);
#ifdef TYPENET_SHOULD_FAIL
  const tn::loss::SoftmaxCrossEntropy loss;
#else
  const tn::loss::Dice loss;
#endif
  return tn::evaluate(model, data, loss).pixel_accuracy >= 0 ? 0 : 1;
}
// expect: evaluate\(model, SegmentationDataset, loss\): a 1-channel output is a binary mask
