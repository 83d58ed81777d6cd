#!/usr/bin/python3
"""Weights between PyTorch and typenet, both ways, through safetensors files.

Run with Debian's /usr/bin/python3 (packages python3-torch, python3-torchvision). Debian has no
`safetensors` Python package, so the format is written and read here with json + struct: 8 bytes
of little-endian header length, the JSON header, the raw little-endian data.

  torch_interop.py export MODEL WEIGHTS IO   # PyTorch -> files: state_dict, and input/output
  torch_interop.py check MODEL WEIGHTS IO    # files -> PyTorch: load typenet's weights strictly,
                                             # run IO's "input", compare with IO's "output"

MODEL is one of the architectures below; each is the nn.Sequential twin of a typenet type, so
the state_dict names are the same ("0.weight", "1.running_var", ...). The export seeds PyTorch,
runs a few training-mode passes (so BatchNorm's running statistics and num_batches_tracked are
not their initial values) and writes the eval-mode output of a fixed input.
"""
import argparse
import json
import struct
import sys

import torch
from torch import nn

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
NAMES = {v: k for k, v in DTYPES.items()}


def lenet5():
    # tn::models::LeNet5<10, 1>
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)), (3, 1, 32, 32)


def small_bn():
    # Sequential<Input<3, 8, 8>, Conv2D<4, Kernel<3>, Pad<1>>, BatchNorm, ReLU, MaxPool2D<Kernel<2>,
    # Stride<2>>, Conv2D<8, Kernel<3>>, BatchNorm, ReLU, Flatten, Dense<16>, ReLU, Dense<5>>
    return nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(4, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(),
        nn.Linear(32, 16), nn.ReLU(), nn.Linear(16, 5)), (4, 3, 8, 8)


MODELS = {"lenet5": lenet5, "small_bn": small_bn}


def write(path, tensors):
    header, data, offset = {}, b"", 0
    for name, t in tensors.items():
        raw = t.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)) + text + data)


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    header.pop("__metadata__", None)
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = bytearray(blob[8 + n + begin:8 + n + end])
        t = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]) if raw else torch.empty(0)
        tensors[name] = t.reshape(info["shape"]).clone()
    return tensors


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["export", "check"])
    parser.add_argument("model", choices=sorted(MODELS))
    parser.add_argument("weights", help="the state_dict's safetensors file")
    parser.add_argument("io", help="a safetensors file with tensors 'input' and 'output'")
    arguments = parser.parse_args()
    mode, model_name, weights, io = arguments.mode, arguments.model, arguments.weights, arguments.io
    model, input_shape = MODELS[model_name]()
    if mode == "export":
        torch.manual_seed(0)
        model, input_shape = MODELS[model_name]()
        model.train()
        for _ in range(3):
            model(torch.randn(input_shape))
        model.eval()
        x = torch.randn(input_shape)
        with torch.no_grad():
            y = model(x)
        write(weights, model.state_dict())
        write(io, {"input": x, "output": y})
        return 0
    state = read(weights)
    model.load_state_dict(state, strict=True)  # typenet's names and shapes must be PyTorch's
    model = model.to(next(iter(v for k, v in state.items() if v.is_floating_point())).dtype)
    model.eval()
    tensors = read(io)
    with torch.no_grad():
        y = model(tensors["input"].to(next(model.parameters()).dtype))
    want = tensors["output"].to(y.dtype)
    error = (y - want).abs().max().item()
    scale = want.abs().max().item()
    print(f"{model_name}: largest difference {error:.3g} (outputs up to {scale:.3g})")
    return 0 if error <= 1e-4 * max(scale, 1.0) else 1


if __name__ == "__main__":
    sys.exit(main())
