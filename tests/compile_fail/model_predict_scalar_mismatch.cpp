// A float batch into a double model: a sentence naming both tensor types, not the overload
// candidates.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Batch = tn::Tensor<float, tn::Shape<1, 8, 8>>;
#else
using Batch = tn::Tensor<double, tn::Shape<1, 8, 8>>;
#endif
int main() {
  tn::Model<Net, double> model;
  const Batch x(2);
  return model.predict(x).batch() == 2 ? 0 : 1;
}
// expect: scalar type mismatch
// expect: expected<typenet::Tensor<double, typenet::Shape<1, 8, 8> ?> ?>, typenet::diag::given<typenet::Tensor<float, typenet::Shape<1, 8, 8> ?> ?>
