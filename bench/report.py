#!/usr/bin/python3
"""Prints typenet's benchmark results beside PyTorch's, at 1 and 2 threads: time, GFLOP/s, % of
the machine's FP32 peak (one core's, measured by the fp32_peak benchmark, times the threads)
and the ratio PyTorch time / typenet time (above 1: typenet is faster).

usage: report.py RESULTS_DIR   (typenet_1.json, typenet_2.json, pytorch_1.json, pytorch_2.json)
       report.py --check FILE    (one of them, as soon as it is written: exit 1 with a message
                                  naming it if it is empty, not JSON or not what is expected)
"""
import json
import os
import statistics
import sys

SCALE = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def read(path):
    """A results file, checked: typenet_*.json (Google Benchmark's JSON output, with the
    fp32_peak row the report needs) or pytorch_*.json (pytorch_compare.py's {name: seconds})."""
    def bad(why):
        sys.exit(f"report.py: {path}: {why}")

    try:
        with open(path) as f:
            data = json.load(f)
    except OSError as error:
        bad(f"cannot be read ({error.strerror})")
    except ValueError as error:
        bad(f"is empty or not JSON ({error}); the program that wrote it failed or was stopped")
    if os.path.basename(path).startswith("typenet_"):
        rows = data.get("benchmarks") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            bad("has no \"benchmarks\" list (not Google Benchmark's --benchmark_format=json)")
        for row in rows:
            if not (isinstance(row, dict) and isinstance(row.get("name"), str) and
                    isinstance(row.get("real_time"), (int, float)) and
                    row.get("time_unit") in SCALE):
                bad(f"row {row!r} lacks a name, real_time or known time_unit")
        if not any(row["name"] == "fp32_peak" for row in rows):
            bad("has no fp32_peak row (the report's peak)")
    elif not (isinstance(data, dict) and isinstance(data.get("_config"), dict)):
        bad("is not pytorch_compare.py's output (no \"_config\")")
    return data


def load(directory, name):
    return read(os.path.join(directory, name))


def seconds(b):
    return b["real_time"] * SCALE[b["time_unit"]]


def typenet_rows(data):
    """{name: row} with each row's real_time the median of its repetitions and "spread" its
    (min, median, max) in seconds. Google Benchmark's own aggregates (run_type "aggregate",
    with --benchmark_repetitions) are left out: the repetitions are recomputed here alike for
    typenet and PyTorch."""
    runs = {}
    for b in data["benchmarks"]:
        if b.get("run_type", "iteration") == "iteration":
            runs.setdefault(b.get("run_name", b["name"]), []).append(b)
    rows = {}
    for name, repetitions in runs.items():
        times = [seconds(b) for b in repetitions]
        row = dict(repetitions[0])
        row["spread"] = (min(times), statistics.median(times), max(times))
        row["real_time"], row["time_unit"] = row["spread"][1], "s"
        row["repetitions"] = len(times)
        rows[name] = row
    return rows


def spread(times):
    return "/".join(f"{t * 1e3:.0f}" if t >= 0.1 else f"{t * 1e3:.3g}" for t in times)


def per_thread(names, label, separator, ours, theirs, theirs_text):
    """One line per name: label(name), then for 1 and 2 threads typenet's figure and PyTorch's
    where it has one."""
    for name in names:
        parts = []
        for t in (1, 2):
            part = f"{t}t typenet {ours(t, name)}"
            other = theirs(t, name)
            if other is not None:
                part += f", PyTorch {theirs_text(other)}"
            parts.append(part)
        print(label(name) + separator.join(parts))


def main(directory):
    typenet = {t: typenet_rows(load(directory, f"typenet_{t}.json")) for t in (1, 2)}
    torch = {t: load(directory, f"pytorch_{t}.json") for t in (1, 2)}
    peak = typenet[1]["fp32_peak"]["flops"] / seconds(typenet[1]["fp32_peak"]) / 1e9
    config = torch[1]["_config"]
    print(f"FP32 peak of one core (AVX2 FMA, measured): {peak:.1f} GFLOP/s")
    repetitions = max(row["repetitions"] for row in typenet[1].values())
    print(f"times: medians of {repetitions} repetition(s) of wall time, each at least the "
          f"minimum time; min/median/max in ms below the table")
    print(f"PyTorch {config['torch']} (BLAS {config['blas']}, oneDNN {config['mkldnn']}), "
          f"threads set explicitly; ratio = PyTorch time / typenet time")
    header = f"{'benchmark':26}"
    for t in (1, 2):
        header += (f" | {t}t: {'typenet':>9} {'GFLOP/s':>7} {'%peak':>5} {'PyTorch':>9} "
                   f"{'ratio':>6}")
    print(header)
    print("-" * len(header))
    for name in typenet[1]:
        if name == "fp32_peak":
            continue
        row = f"{name:26}"
        for t in (1, 2):
            b = typenet[t][name]
            time = seconds(b)
            flops = b.get("flops", 0)
            rate = flops / time / 1e9
            row += f" | {'':3} {time * 1e3:7.3f}ms"
            row += f" {rate:7.1f} {100 * rate / (peak * t):5.1f}" if flops else f" {'':7} {'':5}"
            if name in torch[t]:
                row += f" {torch[t][name] * 1e3:7.3f}ms {torch[t][name] / time:5.2f}x"
            else:
                row += f" {'':9} {'':6}"
        print(row)
    # The spread of the repetitions, min/median/max in milliseconds.
    print("min/median/max, ms:")
    per_thread([name for name in typenet[1] if name != "fp32_peak"], lambda name: f"{name:26} | ",
               " | ", lambda t, name: spread(typenet[t][name]["spread"]),
               lambda t, name: torch[t].get("_spread", {}).get(name), spread)
    # What a second thread gives typenet (the LeNet-5 goal: 1.8x).
    for name in ("lenet_train_batch64", "conv3x3_train", "resnet18_train_batch8"):
        if name in typenet[1] and name in typenet[2]:
            speedup = seconds(typenet[1][name]) / seconds(typenet[2][name])
            print(f"{name} 2 threads vs 1: {speedup:.2f}x")
    # Peak memory of the rows that measure it (bench/models.cpp says how).
    per_thread([name for name in typenet[1] if "peak_MiB" in typenet[1][name]],
               lambda name: f"{name} peak memory: ", "; ",
               lambda t, name: f"{typenet[t][name]['peak_MiB']:.0f} MiB",
               lambda t, name: torch[t].get("_peak_MiB", {}).get(name),
               lambda theirs: f"{theirs:.0f} MiB")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        read(sys.argv[2])
    elif len(sys.argv) == 2 and not sys.argv[1].startswith("-"):
        main(sys.argv[1])
    else:
        sys.exit(__doc__)
