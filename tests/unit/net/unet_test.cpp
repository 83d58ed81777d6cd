// U-Net's pieces: ConvTranspose2D, Upsample (nearest, bilinear), AdaptiveAvgPool2D and
// CropConcat, against hand-computed values, a brute-force reference and finite differences.
#include <array>
#include <catch2/catch.hpp>
#include <limits>
#include <typenet/typenet.hpp>
#include <vector>

#include "../gradcheck.hpp"

namespace tn = typenet;
using tn::Shape;

namespace {

// The transposed convolution by its definition: every input pixel scatters the kernel, scaled,
// onto the output at stride spacing; padding crops the result.
template <class Spec, class In>
std::vector<double> transposed_reference(const tn::Tensor<double, In>& x,
                                         const tn::Layer<Spec, In, double>& layer) {
  using Out = typename tn::bind<Spec, In>::output_type;
  constexpr std::size_t C = In::dims[0], H = In::dims[1], W = In::dims[2];
  constexpr std::size_t O = Out::dims[0], OH = Out::dims[1], OW = Out::dims[2];
  constexpr std::size_t KH = Spec::kernel::height, KW = Spec::kernel::width;
  constexpr std::size_t SH = Spec::stride::height, SW = Spec::stride::width;
  constexpr std::size_t PH = Spec::pad::height, PW = Spec::pad::width;
  constexpr std::size_t DH = Spec::dilation::height, DW = Spec::dilation::width;
  const auto& weight = layer.parameters()[0].value;
  std::vector<double> y(x.batch() * Out::size, 0.0);
  for (std::size_t n = 0; n < x.batch(); ++n)
    for (std::size_t o = 0; o < O; ++o) {
      for (std::size_t i = 0; i < OH * OW; ++i)
        y[n * Out::size + o * OH * OW + i] = Spec::bias ? layer.parameters()[1].value[o] : 0.0;
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t h = 0; h < H; ++h)
          for (std::size_t w = 0; w < W; ++w)
            for (std::size_t kh = 0; kh < KH; ++kh)
              for (std::size_t kw = 0; kw < KW; ++kw) {
                const long oh = long(h * SH + kh * DH) - long(PH);
                const long ow = long(w * SW + kw * DW) - long(PW);
                if (oh < 0 || ow < 0 || oh >= long(OH) || ow >= long(OW)) continue;
                y[n * Out::size + (o * OH + std::size_t(oh)) * OW + std::size_t(ow)] +=
                    x(n, c, h, w) * weight[((c * O + o) * KH + kh) * KW + kw];
              }
    }
  return y;
}

template <class Spec, class In>
void check_against_reference() {
  using Out = typename tn::bind<Spec, In>::output_type;
  tn::Layer<Spec, In, double> layer(3);
  std::mt19937_64 rng(5);
  for (auto& p : layer.parameters())
    for (std::size_t i = 0; i < p.size(); ++i)
      p.value[i] = std::uniform_real_distribution<>(-1, 1)(rng);
  tn::Tensor<double, In> x(3);
  tn::Tensor<double, Out> y(3);
  gradcheck::randomise(x, rng);
  y.fill(std::numeric_limits<double>::quiet_NaN());  // outputs no tap reaches must still be written
  layer.forward(x, y, tn::Mode::train);
  const auto expected = transposed_reference(x, layer);
  REQUIRE(y.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    REQUIRE(y[i] == Approx(expected[i]).margin(1e-12));
}

}  // namespace

// PyTorch's ConvTranspose2d size rule: (H - 1)*stride - 2*pad + dilation*(kernel - 1) + 1.
static_assert(tn::bind<tn::ConvTranspose2D<512, tn::Kernel<2>, tn::Stride<2>>,
                       Shape<1024, 28, 28>>::output_shape == Shape<512, 56, 56>{});
static_assert(tn::bind<tn::ConvTranspose2D<512, tn::Kernel<2>, tn::Stride<2>>,
                       Shape<1024, 28, 28>>::parameter_count == 1024 * 512 * 4 + 512);
static_assert(tn::bind<tn::ConvTranspose2D<3, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>>,
                       Shape<2, 4, 5>>::output_shape == Shape<3, 7, 9>{});
// With output padding (PyTorch's output_padding), kernel 3, stride 2, pad 1 exactly doubles.
static_assert(
    tn::bind<tn::ConvTranspose2D<3, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::OutputPad<1>>,
             Shape<2, 4, 5>>::output_shape == Shape<3, 8, 10>{});
static_assert(tn::bind<tn::ConvTranspose2D<2, tn::Kernel<2>, tn::Stride<3, 2>, tn::OutputPad<2, 1>>,
                       Shape<2, 3, 3>>::output_shape == Shape<2, 10, 7>{});
static_assert(tn::bind<tn::Upsample<tn::Scale<2, 3>, tn::Bilinear>, Shape<4, 5, 6>>::output_shape ==
              Shape<4, 10, 18>{});
static_assert(tn::bind<tn::AdaptiveAvgPool2D<6>, Shape<256, 13, 13>>::output_shape ==
              Shape<256, 6, 6>{});

TEST_CASE("ConvTranspose2D: stride 1 is the full convolution, by hand", "[unet]") {
  using Net = tn::Sequential<tn::Input<1, 2, 2>, tn::ConvTranspose2D<1, tn::Kernel<2>>>;
  tn::Network<Net, double> net(1);
  auto& layer = net.layer<0>();
  const std::array<double, 4> w{1, 2, 3, 4};
  for (std::size_t i = 0; i < 4; ++i) layer.weight().value[i] = w[i];
  layer.bias().value[0] = 0.5;
  tn::Tensor<double, Shape<1, 2, 2>> x(1);
  for (std::size_t i = 0; i < 4; ++i) x[i] = double(i + 1);
  const auto& y = net.forward(x);
  const std::array<double, 9> expected{1, 4, 4, 6, 20, 16, 9, 24, 16};
  for (std::size_t i = 0; i < 9; ++i) CHECK(y[i] == expected[i] + 0.5);
}

TEST_CASE("ConvTranspose2D: kernel 2, stride 2 pastes a scaled kernel per pixel", "[unet]") {
  using Net = tn::Sequential<tn::Input<1, 2, 2>,
                             tn::ConvTranspose2D<1, tn::Kernel<2>, tn::Stride<2>, tn::Bias<false>>>;
  tn::Network<Net, double> net(1);
  for (std::size_t i = 0; i < 4; ++i) net.layer<0>().weight().value[i] = double(i + 1);
  tn::Tensor<double, Shape<1, 2, 2>> x(1);
  for (std::size_t i = 0; i < 4; ++i) x[i] = double(10 * (i + 1));
  const auto& y = net.forward(x);
  for (std::size_t h = 0; h < 4; ++h)
    for (std::size_t w = 0; w < 4; ++w)
      CHECK(y(0, 0, h, w) == x(0, 0, h / 2, w / 2) * double((h % 2) * 2 + w % 2 + 1));
}

TEST_CASE("ConvTranspose2D matches its definition over channels, strides, pads, dilations",
          "[unet]") {
  CHECK(tn::ConvTranspose2D<3, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>,
                            tn::OutputPad<1, 0>>::name() ==
        "ConvTranspose2D(3, 3x3, stride 2, pad 1, output pad 1x0)");
  check_against_reference<tn::ConvTranspose2D<3, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>>,
                          Shape<2, 4, 5>>();
  check_against_reference<tn::ConvTranspose2D<2, tn::Kernel<2, 3>, tn::Stride<3, 1>>,
                          Shape<3, 3, 3>>();
  check_against_reference<
      tn::ConvTranspose2D<4, tn::Kernel<3>, tn::Dilation<2>, tn::Pad<2>, tn::Bias<false>>,
      Shape<2, 5, 4>>();
  // Output padding: the extra last rows and columns still receive the taps that reach them.
  check_against_reference<
      tn::ConvTranspose2D<3, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::OutputPad<1>>,
      Shape<2, 4, 5>>();
  check_against_reference<
      tn::ConvTranspose2D<2, tn::Kernel<2>, tn::Stride<3, 2>, tn::OutputPad<2, 1>>,
      Shape<2, 3, 3>>();
}

TEST_CASE("ConvTranspose2D: gradients against finite differences", "[unet][gradient]") {
  GRADCHECK_REQUIRE(
      (gradcheck::check_layer<tn::ConvTranspose2D<3, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>>,
                              Shape<2, 4, 5>>(2)));
  GRADCHECK_REQUIRE(
      (gradcheck::check_layer<tn::ConvTranspose2D<2, tn::Kernel<2>, tn::Stride<2>>, Shape<3, 3, 3>>(
          1)));
  GRADCHECK_REQUIRE(
      (gradcheck::check_layer<
          tn::ConvTranspose2D<2, tn::Kernel<3>, tn::Dilation<2>, tn::Bias<false>>, Shape<2, 3, 4>>(
          2)));
  GRADCHECK_REQUIRE(
      (gradcheck::check_layer<
          tn::ConvTranspose2D<2, tn::Kernel<3>, tn::Stride<2>, tn::Pad<1>, tn::OutputPad<1, 0>>,
          Shape<2, 3, 4>>(2)));
  // Output padding beyond the padding: the last rows and columns are reached by no tap.
  GRADCHECK_REQUIRE((gradcheck::check_layer<
                     tn::ConvTranspose2D<2, tn::Kernel<2>, tn::Stride<3, 2>, tn::OutputPad<2, 1>>,
                     Shape<2, 3, 3>>(2)));
  // Fused with the activation after it, inside a network.
  GRADCHECK_REQUIRE(
      (gradcheck::check_network<
          tn::Sequential<tn::Input<2, 3, 3>, tn::ConvTranspose2D<3, tn::Kernel<2>, tn::Stride<2>>,
                         tn::Tanh, tn::Flatten, tn::Dense<2>>>(2)));
}

TEST_CASE("Upsample: nearest repeats pixels, bilinear matches PyTorch's align_corners=False",
          "[unet]") {
  tn::Tensor<double, Shape<1, 2, 2>> x(1);
  for (std::size_t i = 0; i < 4; ++i) x[i] = double(i + 1);
  tn::Layer<tn::Upsample<>, Shape<1, 2, 2>, double> nearest;
  tn::Tensor<double, Shape<1, 4, 4>> y(1);
  nearest.forward(x, y, tn::Mode::eval);
  for (std::size_t h = 0; h < 4; ++h)
    for (std::size_t w = 0; w < 4; ++w) CHECK(y(0, 0, h, w) == x(0, 0, h / 2, w / 2));
  // torch.nn.functional.interpolate([[1, 2], [3, 4]], scale_factor=2, mode='bilinear').
  tn::Layer<tn::Upsample<tn::Bilinear>, Shape<1, 2, 2>, double> bilinear;
  bilinear.forward(x, y, tn::Mode::eval);
  const std::array<double, 16> expected{1.0, 1.25, 1.75, 2.0, 1.5, 1.75, 2.25, 2.5,
                                        2.5, 2.75, 3.25, 3.5, 3.0, 3.25, 3.75, 4.0};
  for (std::size_t i = 0; i < 16; ++i) CHECK(y[i] == Approx(expected[i]));
}

TEST_CASE("AdaptiveAvgPool2D averages PyTorch's regions", "[unet]") {
  // 5 -> 3: rows [0, 2), [1, 4), [3, 5), and the same for columns.
  tn::Tensor<double, Shape<1, 5, 5>> x(1);
  for (std::size_t i = 0; i < 25; ++i) x[i] = double(i);
  tn::Layer<tn::AdaptiveAvgPool2D<3>, Shape<1, 5, 5>, double> pool;
  tn::Tensor<double, Shape<1, 3, 3>> y(1);
  pool.forward(x, y, tn::Mode::eval);
  CHECK(y(0, 0, 0, 0) == Approx((0 + 1 + 5 + 6) / 4.0));
  CHECK(y(0, 0, 1, 1) == Approx(12.0));
  CHECK(y(0, 0, 0, 1) == Approx((1 + 2 + 3 + 6 + 7 + 8) / 6.0));
  CHECK(y(0, 0, 2, 2) == Approx((18 + 19 + 23 + 24) / 4.0));
  // Growing: 2 -> 3; the middle output's region holds both inputs.
  tn::Tensor<double, Shape<1, 1, 2>> row(1);
  row[0] = 1;
  row[1] = 3;
  tn::Layer<tn::AdaptiveAvgPool2D<1, 3>, Shape<1, 1, 2>, double> grow;
  tn::Tensor<double, Shape<1, 1, 3>> grown(1);
  grow.forward(row, grown, tn::Mode::eval);
  CHECK(grown[0] == 1);
  CHECK(grown[1] == 2);
  CHECK(grown[2] == 3);
}

TEST_CASE("Upsample and AdaptiveAvgPool2D: gradients against finite differences",
          "[unet][gradient]") {
  GRADCHECK_REQUIRE((gradcheck::check_layer<tn::Upsample<>, Shape<2, 3, 2>>(2)));
  GRADCHECK_REQUIRE((gradcheck::check_layer<tn::Upsample<tn::Scale<3, 2>>, Shape<1, 2, 3>>(1)));
  GRADCHECK_REQUIRE((gradcheck::check_layer<tn::Upsample<tn::Bilinear>, Shape<2, 3, 4>>(2)));
  GRADCHECK_REQUIRE(
      (gradcheck::check_layer<tn::Upsample<tn::Scale<3>, tn::Bilinear>, Shape<1, 2, 2>>(1)));
  GRADCHECK_REQUIRE((gradcheck::check_layer<tn::AdaptiveAvgPool2D<3>, Shape<2, 5, 7>>(2)));
  GRADCHECK_REQUIRE((gradcheck::check_layer<tn::AdaptiveAvgPool2D<4, 3>, Shape<1, 3, 2>>(1)));
}

namespace {
// A 2-level U-Net with valid convolutions: 20 -> 16 (skip), pool 8 -> 4, up-conv 8; the skip is
// centre-cropped from 16 to 8 and joined with the up-sampled path.
using Conv3 = tn::Conv2D<2, tn::Kernel<3>>;
using TinyUNet = tn::Sequential<
    tn::Input<1, 20, 20>, Conv3, tn::ReLU, Conv3, tn::ReLU,
    tn::CropConcat<tn::Identity,
                   tn::Block<tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>,
                             tn::Conv2D<4, tn::Kernel<3>>, tn::ReLU, tn::Conv2D<4, tn::Kernel<3>>,
                             tn::ReLU, tn::ConvTranspose2D<2, tn::Kernel<2>, tn::Stride<2>>>>,
    Conv3, tn::ReLU, Conv3, tn::ReLU, tn::Conv2D<2, tn::Kernel<1>>>;
}  // namespace

static_assert(TinyUNet::layer<4>::output_shape == Shape<4, 8, 8>{});
static_assert(TinyUNet::output_shape == Shape<2, 4, 4>{});

TEST_CASE("CropConcat: the centre crop of the skip beside the up-sampled path", "[unet]") {
  // 6x6 skip, 2x2 path: rows and columns 2..3 of the skip are kept.
  using Net =
      tn::Sequential<tn::Input<1, 6, 6>,
                     tn::CropConcat<tn::Identity, tn::MaxPool2D<tn::Kernel<3>, tn::Stride<3>>>>;
  static_assert(Net::output_shape == Shape<2, 2, 2>{});
  tn::Network<Net, double> net(2);
  tn::Tensor<double, Shape<1, 6, 6>> x(2);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = double(i);
  const auto& y = net.forward(x);
  for (std::size_t n = 0; n < 2; ++n)
    for (std::size_t h = 0; h < 2; ++h)
      for (std::size_t w = 0; w < 2; ++w) {
        CHECK(y(n, 0, h, w) == x(n, 0, h + 2, w + 2));
        CHECK(y(n, 1, h, w) == x(n, 0, 3 * h + 2, 3 * w + 2));
      }
  // The gradient of the skip is zero where the crop cut it away.
  tn::Tensor<double, Shape<2, 2, 2>> dy(2);
  dy.fill(1.0);
  tn::Tensor<double, Shape<1, 6, 6>> dx(2);
  net.backward(x, dy, &dx);
  CHECK(dx(0, 0, 0, 0) == 0);
  CHECK(dx(0, 0, 2, 2) == 2);  // the crop and the pool's maximum of the first window
  CHECK(dx(0, 0, 3, 3) == 1);
}

TEST_CASE("A 2-level U-Net: gradients against finite differences", "[unet][gradient]") {
  GRADCHECK_REQUIRE(gradcheck::check_network<TinyUNet>(2));
  // Padded variant with a bilinear up-sampling path: sizes are kept, nothing is cropped.
  using Padded = tn::Sequential<
      tn::Input<2, 6, 6>, tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>, tn::ReLU,
      tn::CropConcat<tn::Identity, tn::Block<tn::MaxPool2D<tn::Kernel<2>, tn::Stride<2>>,
                                             tn::Conv2D<3, tn::Kernel<3>, tn::Pad<1>>, tn::Tanh,
                                             tn::Upsample<tn::Bilinear>>>,
      tn::Conv2D<1, tn::Kernel<1>>>;
  static_assert(Padded::output_shape == Shape<1, 6, 6>{});
  GRADCHECK_REQUIRE(gradcheck::check_network<Padded>(2));
}
