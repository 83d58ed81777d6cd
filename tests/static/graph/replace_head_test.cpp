// ReplaceHead: the backbone's layers, positions and counts stay; the head is the new one.
#include <ratio>
#include <type_traits>
#include <typenet/models/lenet.hpp>
#include <typenet/shapes.hpp>

namespace tn = typenet;

namespace {

using Ten = tn::models::LeNet5<10>;
using Five = tn::ReplaceHead<Ten, tn::Dense<5>>;
static_assert(std::is_same_v<Five, tn::models::LeNet5<5>>);
static_assert(Five::depth == Ten::depth);
static_assert(Five::output_shape == tn::Shape<5>{});
// 84 * 10 + 10 parameters out, 84 * 5 + 5 in.
static_assert(Ten::parameter_count - Five::parameter_count == 850 - 425);

// A head of several layers lengthens the network; the backbone's layer types stay in place.
using Deeper =
    tn::ReplaceHead<Ten, tn::Dense<32>, tn::ReLU, tn::Dropout<std::ratio<1, 2>>, tn::Dense<3>>;
static_assert(Deeper::depth == Ten::depth + 3);
static_assert(std::is_same_v<Deeper::layer<10>::spec, tn::ReLU>);
static_assert(std::is_same_v<Deeper::layer<11>::spec, tn::Dense<32>>);
static_assert(Deeper::output_shape == tn::Shape<3>{});

}  // namespace
