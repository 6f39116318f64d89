"""GPU throughput of training and where its time goes: decoding per item, augmentation, the step, GPU utilisation.

    .venv/bin/python benchmarks/bench_gpu.py                        # on a CUDA machine: writes benchmarks/bench_gpu.json
    .venv/bin/python benchmarks/bench_gpu.py --device cpu --quick   # the same code on CPU at small settings: a check, not a figure

Two settings, SimCLR in bf16: CIFAR-10 with the full-width CIFAR-stem ResNet-18 (32 px, batch 512, the cifar-gpu profile)
and Imagenette with ResNet-50 at 128 px (batch 256, the ImageNet-style path). For each: img/s of decoding the files
with 0, 1 and --workers DataLoader workers, of the batched augmentation (two views, on the device), of the training
step on images already in memory, and of real training steps fed by per-item decoding, with the GPU's mean
utilisation (nvidia-smi) meanwhile; then which of decoding and the step bounds training
(`contrastive_study.throughput.data_path_rates`). Needs the datasets under $CONTRASTIVE_DATA.
"""
import argparse, json, os, sys
from pathlib import Path
import torch
from contrastive_study.config import TrainConfig
from contrastive_study.data import load_dataset
from contrastive_study.throughput import data_path_rates
sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
from machine import describe

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("--device", default="cuda"); p.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1))
p.add_argument("--quick", action="store_true", help="small widths, batches and step counts (checks the code path)")
p.add_argument("--out", default=str(Path(__file__).with_suffix(".json")))
a = p.parse_args()
if a.device.startswith("cuda") and not torch.cuda.is_available():
    raise SystemExit("No CUDA device here: run this on a GPU machine, or pass --device cpu --quick to check the code path.")
machine = describe() + (f"; {torch.cuda.get_device_name()}" if a.device.startswith("cuda") else "")
print(machine, flush=True)
settings = {"cifar10, CIFAR-stem ResNet-18 width 64, 32 px": dict(dataset="cifar10", backbone="resnet18", width=64, image_size=32, batch_size=512),
            "imagenette, ResNet-50, 128 px": dict(dataset="imagenette", backbone="resnet50", width=64, image_size=128, batch_size=256)}
steps, items = (2, 128) if a.quick else (20, 4096)
out = dict(machine=machine, device=a.device, workers=a.workers, quick=a.quick, settings={})
for name, s in settings.items():
    if a.quick: s = dict(s, width=16, batch_size=32)
    cfg = TrainConfig(method="simclr", precision="bf16", device=a.device, num_workers=a.workers, proj_hidden=2048, proj_dim=128, **s)
    r = data_path_rates(cfg, load_dataset(cfg.dataset, "train", cfg.image_size), decode_items=items, steps=steps)
    out["settings"][name] = dict(r, batch_size=cfg.batch_size)
    dec = ", ".join(f"{w} workers {v:.0f}" for w, v in r["decode_img_per_s"].items())
    print(f"{name} (batch {cfg.batch_size}): decoding {dec} img/s; augmentation {r['augment_two_views_img_per_s']:.0f}; "
          f"step in memory {r['step_img_per_s']:.0f}; steps fed per item {r['fed_img_per_s']:.0f} img/s"
          + (f" at {r['gpu_utilisation']:.0f}% GPU utilisation" if r["gpu_utilisation"] is not None else "")
          + f"; bound: {r['bound']} (fed / step in memory: {r['fed_img_per_s'] / r['step_img_per_s']:.2f})", flush=True)
if a.quick: print("--quick: small settings, not figures to publish")
else: Path(a.out).write_text(json.dumps(out, indent=1) + "\n"); print(f"wrote {a.out}")
