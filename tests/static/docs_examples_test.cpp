// The examples of docs/writing-networks.md, kept compiling.
#include <ratio>
#include <typenet/shapes.hpp>
namespace tn = typenet;
namespace {
using Net = tn::Sequential<tn::Input<3, 32, 32>, tn::Conv2D<32, tn::Kernel<3>, tn::Pad<1>>,
                           tn::BatchNorm, tn::ReLU, tn::MaxPool2D<tn::Kernel<2>>,
                           tn::Conv2D<64, tn::Kernel<3>, tn::Pad<1>>, tn::BatchNorm, tn::ReLU,
                           tn::GlobalAvgPool, tn::Dropout<std::ratio<1, 2>>, tn::Dense<10>>;
static_assert(Net::output_shape == tn::Shape<10>{});
static_assert(Net::layer<0>::output_shape == tn::Shape<32, 32, 32>{});
static_assert(Net::layer<0>::parameter_shape<0>{} == tn::Shape<32, 3, 3, 3>{});  // weight
static_assert(Net::layer<0>::parameter_shape<1>{} == tn::Shape<32>{});           // bias
static_assert(Net::parameter_count == 896 + 64 + 18'496 + 128 + 650);
static_assert(Net::depth == 10);
static_assert(tn::loss::bind<tn::loss::SoftmaxCrossEntropy, Net, tn::ClassIndex>::ok);
static_assert(tn::loss::bind<tn::loss::MSE, Net, tn::Shape<10>>::ok);
}  // namespace
