"""Print the machine a test or benchmark ran on: CPU model, cores, torch and the CPU features its kernels use.

Tiny trainings end a little differently on each CPU kind (AMD Zen 5 with AVX-512 BF16, Intel Xeon with AMX),
so a test log must say which one it came from.
"""
import os
from pathlib import Path
import torch


def describe() -> str:
    "One line: CPU model, cores, torch version, its CPU capability, AMX and AVX-512 BF16 support, threads."
    model = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                  if l.startswith("model name")), "unknown CPU") if Path("/proc/cpuinfo").exists() else "unknown CPU"
    has = lambda name: getattr(torch.cpu, name, lambda: "?")()   # private probes; '?' where a torch release lacks them
    return (f"CPU {model}, {os.cpu_count()} cores; torch {torch.__version__}, capability {torch.backends.cpu.get_cpu_capability()}, "
            f"AMX {has('_is_amx_tile_supported')}, AVX-512 BF16 {has('_is_avx512_bf16_supported')}, {torch.get_num_threads()} threads")


if __name__ == "__main__":
    print(describe())
