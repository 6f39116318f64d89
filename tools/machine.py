"""Print the machine a test or benchmark ran on: CPU model, cores, torch and the CPU features its kernels use.

Tiny trainings end a little differently on each CPU kind (AMD Zen 4 and Zen 5 with AVX-512 BF16, Intel Xeon with AMX),
so a test log must say which one it came from.
"""
import os
from pathlib import Path
import torch


def cpu_kind(info: dict, amx: bool) -> str:
    "The CPU generation: the model name alone says only 'AMD EPYC' on these machines, the family number tells Zen 4 from Zen 5."
    vendor, family = info.get("vendor_id", ""), int(info.get("cpu family", 0) or 0)
    if vendor == "AuthenticAMD":
        return {25: "AMD Zen 3/4" if "avx512f" not in info.get("flags", "") else "AMD Zen 4", 26: "AMD Zen 5"}.get(family, f"AMD family {family}")
    if vendor == "GenuineIntel": return "Intel with AMX" if amx else "Intel without AMX"
    return "unknown kind"


def describe() -> str:
    "One line: CPU kind and model, cores, torch version, its CPU capability, AMX and AVX-512 BF16 support, threads."
    lines = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    info = {}
    for l in lines:
        if ":" in l: info.setdefault(l.split(":", 1)[0].strip(), l.split(":", 1)[1].strip())
    model = info.get("model name", "unknown CPU")
    has = lambda name: getattr(torch.cpu, name, lambda: "?")()   # private probes; '?' where a torch release lacks them
    kind = cpu_kind(info, has("_is_amx_tile_supported") is True)
    return (f"CPU {kind} ({model}, family {info.get('cpu family', '?')} model {info.get('model', '?')}), {os.cpu_count()} cores; torch {torch.__version__}, capability {torch.backends.cpu.get_cpu_capability()}, "
            f"AMX {has('_is_amx_tile_supported')}, AVX-512 BF16 {has('_is_avx512_bf16_supported')}, {torch.get_num_threads()} threads")


if __name__ == "__main__":
    print(describe())
