#!/usr/bin/python3
"""A torchvision model's weights and its eval-mode output, as safetensors files for typenet.

Run with Debian's /usr/bin/python3 (packages python3-torch, python3-torchvision); nothing is
downloaded. Debian has no `safetensors` Python package, so the format is written here with json
and struct: 8 bytes of little-endian header length, the JSON header, the raw little-endian data.

  export_torchvision.py MODEL WEIGHTS IO [--batch N] [--seed S]

MODEL is a torchvision constructor (resnet18, vgg16, vgg16_bn, alexnet, googlenet, densenet121,
...), built with weights=None (GoogLeNet with aux_logits=False) after torch.manual_seed(SEED).
Its random initialisation leaves every BatchNorm at weight 1, bias 0, mean 0, variance 1, which
would hide a layer that skips or mishandles batch norm; so every BatchNorm's weight, bias and
running statistics are then drawn at random too (num_batches_tracked set to 1).

WEIGHTS gets model.state_dict() under torchvision's names (F32, num_batches_tracked I64): the
file tn::load_weights reads into the matching tn::models type. IO gets "input", a fixed
N x 3 x 224 x 224 standard-normal batch, and "output", the model's eval-mode output for it.
"""
import argparse
import json
import struct

import torch
import torchvision

DTYPES = {torch.float32: "F32", torch.int64: "I64"}
OPTIONS = {"googlenet": {"aux_logits": False, "init_weights": True}}


def write(path, tensors):
    """Writes name -> tensor as safetensors, streaming (VGG's file is over 500 MB)."""
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        size = t.numel() * t.element_size()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + size]}
        blobs.append(t)
        offset += size
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for t in blobs:
            out.write(t.numpy().tobytes())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("weights")
    parser.add_argument("io")
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    model = getattr(torchvision.models, args.model)(weights=None, **OPTIONS.get(args.model, {}))
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
                m.running_mean.normal_(0.0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.num_batches_tracked.fill_(1)
    model.eval()
    generator = torch.Generator().manual_seed(args.seed + 1)
    x = torch.randn(args.batch, 3, 224, 224, generator=generator)
    with torch.no_grad():
        y = model(x)
    write(args.weights, model.state_dict())
    write(args.io, {"input": x, "output": y})


if __name__ == "__main__":
    main()
