#!/usr/bin/python3
"""Writes torchvision's state_dict keys and shapes, one model per file, for tests/zoo/.

Run with Debian's /usr/bin/python3 (python3-torchvision). No weights are downloaded: every model
is built with weights=None. Each line of OUT_DIR/<model>.txt is "<key> <d0>x<d1>x..." (an empty
shape, num_batches_tracked's, is "scalar"), in the order model.state_dict() lists them;
tests/zoo/names_test.cpp compares tn::state_dict_names<Net>() and the shapes with these lines.

  torchvision_keys.py OUT_DIR
"""
import argparse
import os

import torch
import torchvision

# torchvision constructor -> file name; the typenet types are listed in tests/zoo/names_test.cpp.
MODELS = {
    "resnet18": {}, "resnet34": {}, "resnet50": {}, "resnet101": {}, "resnet152": {},
    "wide_resnet50_2": {}, "resnext50_32x4d": {},
    "vgg11": {}, "vgg13": {}, "vgg16": {}, "vgg19": {},
    "vgg11_bn": {}, "vgg13_bn": {}, "vgg16_bn": {}, "vgg19_bn": {},
    "alexnet": {},
    "googlenet": {"aux_logits": False, "init_weights": False},
    "densenet121": {}, "densenet161": {}, "densenet169": {}, "densenet201": {},
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    with torch.no_grad():
        for name, kwargs in MODELS.items():
            model = getattr(torchvision.models, name)(weights=None, **kwargs)
            path = os.path.join(args.out_dir, name + ".txt")
            with open(path, "w") as out:
                out.write("# torchvision %s %s(weights=None%s).state_dict(): key shape\n" % (
                    torchvision.__version__, name,
                    "".join(", %s=%s" % kv for kv in kwargs.items())))
                for key, value in model.state_dict().items():
                    shape = "x".join(str(d) for d in value.shape) or "scalar"
                    out.write("%s %s\n" % (key, shape))
            print(path)


if __name__ == "__main__":
    main()
