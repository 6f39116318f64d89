"""Print the machine a test or benchmark ran on: CPU kind and model, cores, torch and the CPU features its kernels use.

Tiny trainings end a little differently on each CPU kind (AMD Zen 4 and Zen 5 with AVX-512 BF16, Intel Xeon with AMX),
so a test log must say which one it came from. The CPU kind is the one every run records (`contrastive_study.study.cpu_kind`).
"""
import os
import torch
from contrastive_study.study import cpu_kind


def describe() -> str:
    "One line: CPU kind and model, cores, torch version, its CPU capability, AMX and AVX-512 BF16 support, threads."
    has = lambda name: getattr(torch.cpu, name, lambda: "?")()   # private probes; '?' where a torch release lacks them
    return (f"CPU {cpu_kind()}, {os.cpu_count()} cores; torch {torch.__version__}, capability {torch.backends.cpu.get_cpu_capability()}, "
            f"AMX {has('_is_amx_tile_supported')}, AVX-512 BF16 {has('_is_avx512_bf16_supported')}, {torch.get_num_threads()} threads")


if __name__ == "__main__":
    print(describe())
