#!/usr/bin/python3
"""Reference values of typenet's recurrent layers from PyTorch (nn.RNN, nn.LSTM, nn.GRU).

For a few fixed small cases, in float64: the input x, the parameters in state_dict order, the
output y (the last states, h_n concatenated over directions, or with return_sequences the whole
output), a random r, and the gradients of sum(y * r) with respect to x and every parameter.
Writes tests/unit/layers/data/recurrent_reference.txt, read by recurrent_reference_test.cpp:

    case <name> <cell> <steps> <features> <hidden> <bidirectional> <bias> <return_sequences> <batch>
    <key> <count> <values...>          one line per array: x, y, r, dx, then each parameter
    end                                and its gradient as <name> and d<name>

Run with Debian's python3-torch: /usr/bin/python3 tools/recurrent_reference.py
"""
import pathlib

import torch

CASES = [
    # name, cell, steps, features, hidden, bidirectional, bias, return_sequences, batch
    ("lstm_last", "lstm", 5, 4, 3, False, True, False, 2),
    ("lstm_bidirectional_last", "lstm", 4, 3, 2, True, True, False, 3),
    ("lstm_sequences_no_bias", "lstm", 3, 2, 4, False, False, True, 2),
    ("gru_last", "gru", 4, 3, 3, False, True, False, 2),
    ("gru_bidirectional_sequences", "gru", 4, 2, 3, True, True, True, 2),
    ("rnn_tanh_bidirectional_last", "rnn_tanh", 3, 3, 4, True, True, False, 2),
    ("rnn_relu_sequences", "rnn_relu", 4, 3, 3, False, False, True, 3),
]


def module(cell, features, hidden, bidirectional, bias):
    common = dict(batch_first=True, bidirectional=bidirectional, bias=bias)
    if cell == "lstm":
        return torch.nn.LSTM(features, hidden, **common)
    if cell == "gru":
        return torch.nn.GRU(features, hidden, **common)
    return torch.nn.RNN(features, hidden, nonlinearity=cell[4:], **common)


def line(key, tensor):
    values = tensor.detach().reshape(-1).tolist()
    return f"{key} {len(values)} " + " ".join(repr(v) for v in values)


def main():
    torch.manual_seed(20240615)
    lines = []
    for name, cell, steps, features, hidden, bidi, bias, sequences, batch in CASES:
        m = module(cell, features, hidden, bidi, bias).double()
        x = torch.randn(batch, steps, features, dtype=torch.float64, requires_grad=True)
        output, state = m(x)
        h_n = state[0] if cell == "lstm" else state
        # h_n: directions x batch x hidden -> batch x directions*hidden
        y = output if sequences else h_n.permute(1, 0, 2).reshape(batch, -1)
        r = torch.randn_like(y)
        (y * r).sum().backward()
        lines.append(f"case {name} {cell} {steps} {features} {hidden} {int(bidi)} {int(bias)} "
                     f"{int(sequences)} {batch}")
        lines += [line("x", x), line("y", y), line("r", r), line("dx", x.grad)]
        for key, p in m.named_parameters():
            lines += [line(key, p), line("d" + key, p.grad)]
        lines.append("end")
    out = pathlib.Path(__file__).resolve().parent.parent / "tests/unit/layers/data"
    out.mkdir(parents=True, exist_ok=True)
    (out / "recurrent_reference.txt").write_text("\n".join(lines) + "\n")
    print(f"wrote {len(CASES)} cases to {out / 'recurrent_reference.txt'}")


if __name__ == "__main__":
    main()
