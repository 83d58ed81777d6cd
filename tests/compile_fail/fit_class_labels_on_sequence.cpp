// Class labels (a classification dataset) in fit, for a network that scores every step.
#include <typenet/typenet.hpp>
#include <vector>
namespace tn = typenet;
#ifdef TYPENET_SHOULD_FAIL
using Net = tn::Sequential<tn::Input<12, 3>, tn::GRU<8, tn::ReturnSequences>,
                           tn::TimeDistributed<tn::Dense<2>>>;
#else
using Net = tn::Sequential<tn::Input<12, 3>, tn::GRU<8>, tn::Dense<2>>;
#endif
int main() {
  tn::Model<Net> model;
  tn::optim::Adam adam;
  const auto data =
      tn::data::Dataset::from_arrays(std::vector<float>(2 * 36, 0.5f), {0, 1}, 1, 12, 3, 2);
  return tn::fit(model, adam, tn::loss::SoftmaxCrossEntropy{}, data).epochs.empty() ? 1 : 0;
}
// expect: a loss on tn::ClassIndex labels requires one score vector per sample, and this output is Steps x N
// expect: SoftmaxCrossEntropy.*output<12, 2>.*ClassIndex
