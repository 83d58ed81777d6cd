// SimpleRNN, LSTM, GRU and TimeDistributed: output shapes, parameter shapes and counts, MACs.
// The parameter counts are PyTorch's: sum(p.numel() for p in nn.RNN/LSTM/GRU(F, H,
// bidirectional=..., bias=...).parameters()), printed by torch 2 (tools/recurrent_reference.py
// writes the same modules' state_dicts).
#include <typenet/shapes.hpp>

namespace tn = typenet;

namespace {

template <class Spec, class In>
using B = tn::bind<Spec, In>;

// Shapes: the last step's state, or every step's; two directions concatenated.
static_assert(B<tn::LSTM<128>, tn::Shape<28, 28>>::output_shape == tn::Shape<128>{});
static_assert(B<tn::LSTM<128, tn::ReturnSequences>, tn::Shape<28, 28>>::output_shape ==
              tn::Shape<28, 128>{});
static_assert(B<tn::GRU<16, tn::Bidirectional>, tn::Shape<9, 5>>::output_shape == tn::Shape<32>{});
static_assert(
    B<tn::GRU<16, tn::ReturnSequences, tn::Bidirectional>, tn::Shape<9, 5>>::output_shape ==
    tn::Shape<9, 32>{});
// Options in any order mean the same layer.
static_assert(B<tn::SimpleRNN<3, tn::Bidirectional, tn::ReLU, tn::ReturnSequences>,
                tn::Shape<4, 2>>::output_shape ==
              B<tn::SimpleRNN<3, tn::ReturnSequences, tn::ReLU, tn::Bidirectional>,
                tn::Shape<4, 2>>::output_shape);
static_assert(tn::SimpleRNN<3, tn::ReLU>::cell == tn::detail::Cell::rnn_relu);
static_assert(tn::SimpleRNN<3, tn::Tanh>::cell == tn::detail::Cell::rnn_tanh);
static_assert(tn::SimpleRNN<3>::cell == tn::detail::Cell::rnn_tanh);

// PyTorch's parameter shapes: weight_ih_l0 G*H x F, weight_hh_l0 G*H x H, two biases of G*H.
using Lstm = B<tn::LSTM<3, tn::Bidirectional>, tn::Shape<6, 5>>;
static_assert(Lstm::parameter_shape<0>{} == tn::Shape<12, 5>{});
static_assert(Lstm::parameter_shape<1>{} == tn::Shape<12, 3>{});
static_assert(Lstm::parameter_shape<2>{} == tn::Shape<12>{});
static_assert(Lstm::parameter_shape<3>{} == tn::Shape<12>{});
static_assert(Lstm::parameter_shape<4>{} == tn::Shape<12, 5>{});
static_assert(Lstm::parameter_shape<7>{} == tn::Shape<12>{});
static_assert(tn::LSTM<3, tn::Bidirectional>::parameter_names[4] == "weight_ih_l0_reverse");
static_assert(tn::GRU<3, tn::Bias<false>>::parameter_names.size() == 2);
static_assert(tn::GRU<3, tn::Bias<false>>::parameter_names[1] == "weight_hh_l0");
static_assert(B<tn::GRU<3>, tn::Shape<6, 5>>::parameter_shape<1>{} == tn::Shape<9, 3>{});

// Parameter counts against PyTorch.
static_assert(B<tn::SimpleRNN<128>, tn::Shape<28, 28>>::parameter_count == 20'224);
static_assert(B<tn::LSTM<128>, tn::Shape<28, 28>>::parameter_count == 80'896);
static_assert(B<tn::GRU<128>, tn::Shape<28, 28>>::parameter_count == 60'672);
static_assert(B<tn::SimpleRNN<3, tn::Bidirectional>, tn::Shape<2, 5>>::parameter_count == 60);
static_assert(B<tn::LSTM<3, tn::Bidirectional>, tn::Shape<2, 5>>::parameter_count == 240);
static_assert(B<tn::GRU<3, tn::Bidirectional>, tn::Shape<2, 5>>::parameter_count == 180);
static_assert(B<tn::SimpleRNN<4, tn::Bias<false>>, tn::Shape<2, 7>>::parameter_count == 44);
static_assert(
    B<tn::LSTM<4, tn::Bias<false>, tn::Bidirectional>, tn::Shape<2, 7>>::parameter_count == 352);
static_assert(B<tn::GRU<4, tn::Bias<false>>, tn::Shape<2, 7>>::parameter_count == 132);
static_assert(B<tn::LSTM<32, tn::Bidirectional>, tn::Shape<3, 64>>::parameter_count == 25'088);
static_assert(B<tn::GRU<32, tn::Bidirectional>, tn::Shape<3, 64>>::parameter_count == 18'816);
// nn.LSTM(28, 128, num_layers=2) is two stacked layers; nn.GRU(10, 16, num_layers=2,
// bidirectional=True) takes 2*16 features into its second layer.
using Stacked =
    tn::Sequential<tn::Input<28, 28>, tn::LSTM<128, tn::ReturnSequences>, tn::LSTM<128>>;
static_assert(Stacked::parameter_count == 212'992);
static_assert(Stacked::output_shape == tn::Shape<128>{});
using StackedGru =
    tn::Sequential<tn::Input<7, 10>, tn::GRU<16, tn::Bidirectional, tn::ReturnSequences>,
                   tn::GRU<16, tn::Bidirectional>>;
static_assert(StackedGru::parameter_count == 7'488);

// MACs: the two projections at every step and direction, Steps * D * G*H * (F + H).
static_assert(B<tn::LSTM<128>, tn::Shape<28, 28>>::macs == 28 * 4 * 128 * (28 + 128));
static_assert(B<tn::GRU<16, tn::Bidirectional>, tn::Shape<9, 5>>::macs ==
              9 * 2 * 3 * 16 * (5 + 16));
static_assert(B<tn::SimpleRNN<8, tn::ReLU>, tn::Shape<10, 3>>::macs == 10 * 8 * (3 + 8));

// TimeDistributed: the inner layer at each step, its parameters once, its MACs Steps times.
using PerStep = B<tn::TimeDistributed<tn::Dense<10>>, tn::Shape<28, 128>>;
static_assert(PerStep::output_shape == tn::Shape<28, 10>{});
static_assert(PerStep::parameter_count == 1'290);
static_assert(PerStep::macs == 28 * 1'280);
using ManyToMany = tn::Sequential<tn::Input<50, 1>, tn::GRU<32, tn::ReturnSequences>, tn::Dropout<>,
                                  tn::TimeDistributed<tn::Dense<1>>>;
static_assert(ManyToMany::output_shape == tn::Shape<50, 1>{});

}  // namespace
