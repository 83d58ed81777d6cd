#!/usr/bin/python3
"""Checks bench/run's --filter before anything is timed: the same regex goes to Google Benchmark
(typenet_bench, POSIX extended syntax through std::regex) and to Python's re
(pytorch_compare.py), and the two must accept it and pick the same benchmarks.

usage: check_filter.py REGEX [TYPENET_BENCH]
  without TYPENET_BENCH only Python's re is asked (cheap, before the build).
exit status: 0 fine, 1 no benchmark matches, 2 a syntax one engine rejects or reads differently.
"""
import re
import subprocess
import sys
import warnings

SYNTAX = ("use a regular expression both accept (case-sensitive, found anywhere in the name): "
          "letters, digits and _, '.', '|', '^', '$', '*', '+', '?', '(...)', '[...]'; "
          "not Perl escapes such as \\d, \\w or \\b, nor POSIX classes such as [[:digit:]]")


def fail(status, message):
    print(f"bench/run: --filter '{sys.argv[1]}': {message}", file=sys.stderr)
    sys.exit(status)


def listed(program, *flags):
    """The benchmark names typenet_bench lists with these flags, and its error output."""
    done = subprocess.run([program, "--benchmark_list_tests=true", *flags], capture_output=True,
                          text=True, check=False)
    return done.stdout.split(), done.stderr.strip(), done.returncode


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    filter_ = sys.argv[1]
    try:
        # A POSIX class such as [[:digit:]] draws a FutureWarning; the comparison below reports it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            wanted = re.compile(filter_)
    except re.error as error:
        fail(2, f"Python's re rejects it ({error}); {SYNTAX}")
    if len(sys.argv) == 2:
        return
    program = sys.argv[2]
    everything, errors, status = listed(program)
    if status != 0 or not everything:
        fail(2, f"'{program} --benchmark_list_tests=true' failed (exit {status}): {errors}")
    # bench/run always runs fp32_peak (the report's peak), so Google Benchmark gets this spec.
    chosen, errors, status = listed(program, f"--benchmark_filter=fp32_peak|{filter_}")
    if status != 0 or not chosen:
        fail(2, f"Google Benchmark rejects it ({errors or f'exit {status}'}); {SYNTAX}")
    by_python = {name for name in everything if wanted.search(name)} - {"fp32_peak"}
    by_benchmark = set(chosen) - {"fp32_peak"}
    if by_python != by_benchmark:
        fail(2, f"Google Benchmark picks {sorted(by_benchmark) or 'nothing'} but Python's re picks "
                f"{sorted(by_python) or 'nothing'}; {SYNTAX}")
    if not by_python:
        fail(1, "no benchmark matches it; the benchmarks are: " +
                " ".join(name for name in everything if name != "fp32_peak"))


if __name__ == "__main__":
    main()
