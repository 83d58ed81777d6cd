// A batch of another sample shape: the sentence, with both tensor types.
#include <typenet/typenet.hpp>
namespace tn = typenet;
using Net = tn::Sequential<tn::Input<1, 8, 8>, tn::Flatten, tn::Dense<10>>;
#ifdef TYPENET_SHOULD_FAIL
using Batch = tn::Tensor<float, tn::Shape<3, 8, 8>>;
#else
using Batch = tn::Tensor<float, tn::Shape<1, 8, 8>>;
#endif
int main() {
  tn::Model<Net> model;
  const Batch x(2);
  return model.predict(x).batch() == 2 ? 0 : 1;
}
// expect: tensor shape mismatch
// expect: expected<typenet::Tensor<float, typenet::Shape<1, 8, 8> ?> ?>, typenet::diag::given<typenet::Tensor<float, typenet::Shape<3, 8, 8> ?> ?>
