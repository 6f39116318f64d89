"""Benchmark: the tiny trainings of the test suite, by precision and by threads per process.

The test suite runs two notebooks at a time; each trains tiny models (CIFAR-stem ResNet-18 at width 8 on the
synthetic set). This measures one epoch of the tests' tiny SimCLR config (a) alone, in bf16 autocast ("auto")
and in fp32, with 1 thread and with every core, and (b) as two processes at once, each with one thread
(what `make test` does) and each with every core (torch's default, oversubscribed). Run it on each CPU kind:
on an Intel AMX machine bf16 takes the AMX kernels, on AMD Zen 5 the AVX-512 BF16 ones.

Prints figures and ratios; asserts nothing. Run: .venv/bin/python benchmarks/bench_test_runs.py
"""
import json, os, subprocess, sys, tempfile, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from machine import describe

TINY = dict(dataset="synthetic", width=8, proj_hidden=64, proj_dim=32, batch_size=64, epochs=1, lr=0.5, knn_k=20, probe_steps=0)

# one process: train one epoch (after a warm-up epoch of the same config in another root), print img/s
CHILD = """
import json, sys, tempfile, torch
from contrastive_study.config import TrainConfig
from contrastive_study.training import train
cfg = TrainConfig(**json.loads(sys.argv[1]))
with tempfile.TemporaryDirectory() as warm: train(cfg.replace(seed=1), root=warm, progress=False)
with tempfile.TemporaryDirectory() as d: print(train(cfg, root=d, progress=False).metrics()[-1]["img_per_s"])
"""


def start(precision, threads):
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    return subprocess.Popen([sys.executable, "-c", CHILD, json.dumps(dict(TINY, precision=precision))], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def rate(procs):
    "Total img/s of processes started together."
    return sum(float(p.communicate()[0].strip().splitlines()[-1]) for p in procs)


if __name__ == "__main__":
    cores = os.cpu_count()
    print(describe(), flush=True)
    alone = {(p, t): rate([start(p, t)]) for p in ("auto", "fp32") for t in sorted({1, cores})}
    for (p, t), r in alone.items(): print(f"alone   {p:4} {t} thread(s): {r:7.0f} img/s", flush=True)
    pair = {(p, t): rate([start(p, t), start(p, t)]) for p in ("auto", "fp32") for t in sorted({1, cores})}
    for (p, t), r in pair.items(): print(f"2 procs {p:4} {t} thread(s) each: {r:7.0f} img/s in all", flush=True)
    for p in ("auto", "fp32"):
        print(f"{p}: two processes with 1 thread each vs {cores} each (oversubscribed): {pair[(p, 1)] / pair[(p, cores)]:.2f}x")
    print(f"bf16 (auto) vs fp32, two processes of 1 thread: {pair[('auto', 1)] / pair[('fp32', 1)]:.2f}x")
