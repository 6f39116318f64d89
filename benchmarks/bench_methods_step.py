"""Training-step throughput of every method at one setting, through the real loop (`plan_epochs` times `train_epoch`),
and the cost of more views per image.

    .venv/bin/python benchmarks/bench_methods_step.py                       # CIFAR-10, width 32, batch 256 (the equal-time comparison)
    .venv/bin/python benchmarks/bench_methods_step.py --width 16 --steps 4
    .venv/bin/python benchmarks/bench_methods_step.py --methods simclr vicreg --views 2 4 2+6 --out benchmarks/bench_views.json

Prints img/s per method and its cost relative to SimCLR, with the CPU it ran on. A method's extra work per step
is what sets its epochs in an equal-time comparison: BYOL adds two target forward passes and a predictor
(about 1.33x SimCLR's work in forward-backward units), SimSiam only a predictor. `--views G` or `G+L` sets
`global_views` and `local_crops` (local crops at `--local-size`, by default the config's 3/7 of the image); each setting is
printed with its step time relative to the same method's two views, so an equal-time table can be read per view.
"""
import argparse, json, sys
from pathlib import Path
from contrastive_study.config import TrainConfig
from contrastive_study.study import plan_epochs
sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
from machine import describe

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--methods", nargs="+", default=["simclr", "moco", "byol", "simsiam"])
p.add_argument("--views", nargs="+", default=["2"], help="views per image: G global, or G+L global and local crops (default 2)")
p.add_argument("--local-size", type=int, default=0, help="side of the local crops in pixels (0: 3/7 of the image)")
p.add_argument("--dataset", default="cifar10"); p.add_argument("--width", type=int, default=32)
p.add_argument("--batch-size", type=int, default=256); p.add_argument("--steps", type=int, default=6)
p.add_argument("--precision", default="auto")
p.add_argument("--out", help="also write the figures to this JSON file")
a = p.parse_args()
machine = describe()
print(machine, flush=True)
base = dict(dataset=a.dataset, width=a.width, batch_size=a.batch_size, lr=0.5, proj_hidden=2048, proj_dim=128, precision=a.precision)
extra = dict(moco=dict(queue_size=4096), simsiam=dict(proj_dim=2048), vicreg=dict(optimizer="lars", lr=0.3, proj_dim=2048))
rates, rows = {}, []
for m in a.methods:
    for views in a.views:
        g, _, l = views.partition("+")
        cfg = TrainConfig(**{**base, **extra.get(m, {}), "method": m, "global_views": int(g), "local_crops": int(l or 0),
                            **({"local_size": a.local_size} if l else {})})
        r = plan_epochs(cfg, budget_minutes=10, steps=a.steps)
        rates[m, views] = r["img_per_s"]
        rel = f"  {rates['simclr', views] / r['img_per_s']:.2f}x SimCLR's step time" if ("simclr", views) in rates else ""
        per = f"  {rates[m, '2'] / r['img_per_s']:.2f}x its 2-view step time" if (m, "2") in rates and views != "2" else ""
        label = f"{g} views" + (f" + {l} local {cfg.local_side} px" if l else "")
        print(f"{m:8s} {label:24s} {r['img_per_s']:7.1f} img/s  {r['seconds_per_epoch']:6.0f} s/epoch{rel}{per}", flush=True)
        rows.append(dict(method=m, views=views, global_views=cfg.global_views, local_crops=cfg.local_crops, local_side=cfg.local_side,
                         img_per_s=r["img_per_s"], seconds_per_epoch=r["seconds_per_epoch"],
                         vs_two_views=round(rates[m, "2"] / r["img_per_s"], 2) if (m, "2") in rates else None))
if a.out:
    Path(a.out).write_text(json.dumps(dict(machine=machine, settings=base, steps=a.steps, rows=rows), indent=2) + "\n")
    print("wrote", a.out)
