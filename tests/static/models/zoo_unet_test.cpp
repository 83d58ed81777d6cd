// U-Net: the paper's 572 x 572 input gives a 388 x 388 map with valid convolutions (Ronneberger
// et al. 2015, Fig. 1); the padded variant keeps sizes.
//
// The paper publishes no parameter count. 31,030,658 is the sum of its Fig. 1 layers (3x3
// convolutions with bias, 2x2 up-convolutions with bias, a 1x1 to 2 classes):
//   contracting: 640 + 36,928 | 73,856 + 147,584 | 295,168 + 590,080 | 1,180,160 + 2,359,808 |
//                4,719,616 + 9,438,208
//   expanding:   2,097,664 + 4,719,104 + 2,359,808 | 524,544 + 1,179,904 + 590,080 |
//                131,200 + 295,040 + 147,584 | 32,832 + 73,792 + 36,928 | 130
#include <typenet/models/zoo.hpp>
#include <typenet/shapes.hpp>

namespace tn = typenet;
namespace m = typenet::models;

static_assert(m::UNet<>::input_shape == tn::Shape<1, 572, 572>{});
static_assert(m::UNet<>::output_shape == tn::Shape<2, 388, 388>{});
static_assert(m::UNet<>::parameter_count ==
              640 + 36'928 + 73'856 + 147'584 + 295'168 + 590'080 + 1'180'160 + 2'359'808 +
                  4'719'616 + 9'438'208 + 2'097'664 + 4'719'104 + 2'359'808 + 524'544 + 1'179'904 +
                  590'080 + 131'200 + 295'040 + 147'584 + 32'832 + 73'792 + 36'928 + 130);
static_assert(m::UNet<>::parameter_count == 31'030'658);
static_assert(m::UNet<>::macs == 150'428'424'448);
// Other sizes that keep every crop centred work too; the smallest valid-convolution U-Net with
// four levels maps 188 x 188 to 4 x 4.
static_assert(m::UNet<2, 1, 188>::output_shape == tn::Shape<2, 4, 4>{});
static_assert(m::UNet<3, 3, 188>::parameter_count == 31'030'658 + 2 * 64 * 9 + 65);

static_assert(m::UNetPadded<>::output_shape == tn::Shape<2, 256, 256>{});
static_assert(m::UNetPadded<>::parameter_count == 31'030'658);
static_assert(m::UNetPadded<2, 1, 256>::macs == 48'096'083'968);
