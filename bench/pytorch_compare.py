#!/usr/bin/python3
"""Times in PyTorch the work bench/kernels.cpp times in typenet; prints JSON {name: seconds}
(the median of --repetitions) and _spread {name: [min, median, max]}.

Run with Debian's interpreter (/usr/bin/python3, python3-torch). PyTorch gets its best CPU path:
oneDNN convolutions, OpenBLAS GEMM (install libopenblas0-pthread, or it falls back to reference
BLAS), and the thread count given on the command line, set explicitly.
"""
import argparse
import json
import os
import re
import statistics
import time

import torch
import torch.nn.functional as F


def seconds_per_iteration(step, min_time=0.5, warmup=3):
    for _ in range(warmup):
        step()
    iterations = 1
    while True:
        start = time.perf_counter()
        for _ in range(iterations):
            step()
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return elapsed / iterations
        iterations *= 2


class LastState(torch.nn.Module):
    """A recurrent module's final state h_n (batch x hidden): typenet's LSTM<H> without
    ReturnSequences."""

    def __init__(self, recurrent):
        super().__init__()
        self.recurrent = recurrent

    def forward(self, x):
        _, state = self.recurrent(x)
        h_n = state[0] if isinstance(state, tuple) else state
        return h_n[-1]


def layer(make, batch, shape, backward):
    torch.manual_seed(0)
    module = make()
    x = torch.randn(batch, *shape, requires_grad=True)
    with torch.no_grad():
        dy = torch.randn_like(module(x))

    def forward():
        with torch.no_grad():
            module(x)

    def train():
        module.zero_grad(set_to_none=True)
        x.grad = None
        module(x).backward(dy)

    return train if backward else forward


def status_mib(key):
    """A field of /proc/self/status ("VmRSS:", "VmHWM:") in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    return -1


def resnet18(min_time, repetitions=1):
    """torchvision's resnet18() (1000 classes): one SGD-with-momentum step at 224 x 224, batch 8;
    its time and the peak memory from just before the model is built (bench/models.cpp measures
    typenet the same way: the peak reset through /proc/self/clear_refs, minus the resident size
    then). Run last, so that no other case's memory is counted."""
    import torchvision

    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before = status_mib("VmRSS:")
    net = torchvision.models.resnet18()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    images = torch.rand(8, 3, 224, 224) * 2 - 1
    labels = torch.arange(8) * 97 % 1000

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(net(images), labels).backward()
        optimizer.step()

    times = repeated(lambda: seconds_per_iteration(train_step, min_time), repetitions)
    return times[1], {"resnet18_train_batch8": status_mib("VmHWM:") - before}, times


def thread_count(text):
    """--threads: a whole number from 1 to the hardware threads (as typenet_bench's)."""
    most = os.cpu_count() or 1
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= most:
        raise argparse.ArgumentTypeError(f"'{text}' is not a thread count; give a whole number "
                                         f"from 1 to {most} (the hardware threads)")
    return int(text)


def seconds_at_least(text):
    """--min-time: a positive number of seconds (0 or less would time a single call)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number of seconds")
    return value


def repetition_count(text):
    """--repetitions: a whole number from 1 to 100."""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of repetitions (1 to 100)")
    return int(text)


def repeated(measure, repetitions):
    """[min, median, max] of `repetitions` calls of measure()."""
    times = [measure() for _ in range(repetitions)]
    return [min(times), statistics.median(times), max(times)]


def regex(text):
    """--filter: a Python regular expression (re.search on the case names, case-sensitive)."""
    try:
        return re.compile(text)
    except re.error as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a regular expression: {error}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=thread_count, default=1)
    parser.add_argument("--min-time", type=seconds_at_least, default=0.5)
    parser.add_argument("--repetitions", type=repetition_count, default=1,
                        help="times each case this many times; the result is the median, and "
                             "_spread holds [min, median, max]")
    parser.add_argument("--filter", type=regex, default=re.compile(""),
                        help="only the cases whose name this regex finds (Python re.search)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    dense = lambda: torch.nn.Linear(784, 1024)
    conv3x3 = lambda: torch.nn.Conv2d(64, 64, 3, padding=1)
    alex1 = lambda: torch.nn.Conv2d(3, 96, 11, stride=4)
    dense_relu = lambda: torch.nn.Sequential(torch.nn.Linear(784, 1024), torch.nn.ReLU())
    conv_relu = lambda: torch.nn.Sequential(torch.nn.Conv2d(64, 64, 3, padding=1), torch.nn.ReLU())
    cases = {
        "dense_forward": layer(dense, 64, (784,), False),
        "dense_train": layer(dense, 64, (784,), True),
        "conv3x3_forward": layer(conv3x3, 8, (64, 56, 56), False),
        "conv3x3_train": layer(conv3x3, 8, (64, 56, 56), True),
        "alexnet_conv1_forward": layer(alex1, 8, (3, 227, 227), False),
        "alexnet_conv1_train": layer(alex1, 8, (3, 227, 227), True),
        "dense_relu_fused_train": layer(dense_relu, 64, (784,), True),
        "conv_relu_fused_train": layer(conv_relu, 8, (64, 56, 56), True),
        "lstm128_forward": layer(lambda: LastState(torch.nn.LSTM(28, 128, batch_first=True)), 64,
                                 (28, 28), False),
        "lstm128_train": layer(lambda: LastState(torch.nn.LSTM(28, 128, batch_first=True)), 64,
                               (28, 28), True),
        "gru128_train": layer(lambda: LastState(torch.nn.GRU(28, 128, batch_first=True)), 64,
                              (28, 28), True),
    }

    # The element-wise epilogue alone: bias + ReLU forward, ReLU' * dy and the bias gradient.
    z = torch.randn(64, 1024)
    bias = torch.zeros(1024)
    dy = torch.randn(64, 1024)

    def epilogue():
        y = F.relu(z + bias)
        dz = dy * (y > 0)
        dz.sum(0)

    cases["bias_relu_fused"] = epilogue

    # LeNet-5: one SGD-with-momentum training step at batch 64; inference at batch 1 and 256.
    def lenet():
        return torch.nn.Sequential(
            torch.nn.Conv2d(1, 6, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Flatten(), torch.nn.Linear(400, 120), torch.nn.ReLU(),
            torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10))

    net = lenet()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    images = torch.randn(64, 1, 32, 32)
    labels = torch.arange(64) % 10

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(net(images), labels).backward()
        optimizer.step()

    cases["lenet_train_batch64"] = train_step
    model = lenet().eval()
    for batch in (1, 256):
        x = torch.randn(batch, 1, 32, 32)

        def infer(x=x):
            with torch.no_grad():
                model(x)

        cases[f"lenet_infer_batch{batch}"] = infer

    wanted = args.filter
    spreads = {name: repeated(lambda: seconds_per_iteration(step, args.min_time),
                              args.repetitions)
               for name, step in cases.items() if wanted.search(name)}
    results = {name: times[1] for name, times in spreads.items()}
    if wanted.search("resnet18_train_batch8"):
        results["resnet18_train_batch8"], results["_peak_MiB"], spreads["resnet18_train_batch8"] = (
            resnet18(args.min_time, args.repetitions))
    results["_spread"] = spreads
    results["_config"] = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        # Debian's torch uses whichever libblas.so.3 the alternatives system selects.
        "blas": os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"),
        "mkldnn": torch.backends.mkldnn.is_available(),
    }
    print(json.dumps(results))


if __name__ == "__main__":
    main()
