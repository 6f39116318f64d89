"""Training-step throughput of every method at one setting, through the real loop (`plan_epochs` times `train_epoch`).

    .venv/bin/python benchmarks/bench_methods_step.py                       # CIFAR-10, width 32, batch 256 (the equal-time comparison)
    .venv/bin/python benchmarks/bench_methods_step.py --width 16 --steps 4

Prints img/s per method and its cost relative to SimCLR, with the CPU it ran on. A method's extra work per step
is what sets its epochs in an equal-time comparison: BYOL adds two target forward passes and a predictor
(about 1.33x SimCLR's work in forward-backward units), SimSiam only a predictor.
"""
import argparse, os, sys
from pathlib import Path
import torch
from contrastive_study.config import TrainConfig
from contrastive_study.study import plan_epochs
sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
from machine import describe

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--methods", nargs="+", default=["simclr", "moco", "byol", "simsiam"])
p.add_argument("--dataset", default="cifar10"); p.add_argument("--width", type=int, default=32)
p.add_argument("--batch-size", type=int, default=256); p.add_argument("--steps", type=int, default=6)
p.add_argument("--precision", default="auto")
a = p.parse_args()
print(describe(), flush=True)
base = dict(dataset=a.dataset, width=a.width, batch_size=a.batch_size, lr=0.5, proj_hidden=2048, proj_dim=128, precision=a.precision)
extra = dict(moco=dict(queue_size=4096), simsiam=dict(proj_dim=2048))
rates = {}
for m in a.methods:
    r = plan_epochs(TrainConfig(**{**base, **extra.get(m, {}), "method": m}), budget_minutes=10, steps=a.steps)
    rates[m] = r["img_per_s"]
    rel = f"  ({rates['simclr'] / rates[m]:.2f}x SimCLR's step time)" if "simclr" in rates else ""
    print(f"{m:8s} {r['img_per_s']:7.1f} img/s  {r['seconds_per_epoch']:6.0f} s/epoch{rel}", flush=True)
