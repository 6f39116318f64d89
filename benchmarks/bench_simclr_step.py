"""Benchmark: SimCLR training-step throughput, ours vs lightly 1.6, and against the machine's bf16 matmul rate.

Same machine, same run, same backbone (CIFAR-stem ResNet-18, width 64), same head (512-2048-128),
same data (CIFAR-10 train split from the data root), batch 256 images (two views each).
lightly runs as its own examples run it: torchvision ImageFolder with its SimCLRTransform
(32 px, no blur), a DataLoader, two forward passes, its NTXentLoss, SGD; fp32. It is measured
with 0 and 2 DataLoader workers and given the faster of the two.

Prints figures; asserts nothing (speed is not a test). Run: make bench
"""
import os, sys, time, json, platform
import torch, torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode

from contrastive_study.config import TrainConfig
from contrastive_study.data import load_dataset, data_root
from contrastive_study.methods.base import build_method
from contrastive_study.training import make_optimizer
from contrastive_study.evaluation import autocast

BATCH, WARMUP, STEPS = 256, 2, int(os.environ.get("BENCH_STEPS", 6))
torch.set_num_threads(os.cpu_count())


def matmul_rate(dtype, n=2048, reps=10, trials=5):
    "The machine's matrix-multiply rate: the best of `trials` timings (a ceiling, so noise cannot flatter the fraction)."
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    for _ in range(2): a @ b
    best = 0.0
    for _ in range(trials):
        t = time.perf_counter()
        for _ in range(reps): a @ b
        best = max(best, 2 * n ** 3 * reps / (time.perf_counter() - t))
    return best


def timed(step, warmup=WARMUP, steps=STEPS):
    for _ in range(warmup): step()
    t = time.perf_counter()
    for _ in range(steps): step()
    return (time.perf_counter() - t) / steps


def ours(precision="bf16", channels_last=True, compile=False, view_forward="separate"):
    cfg = TrainConfig(dataset="cifar10", width=64, batch_size=BATCH, precision=precision, channels_last=channels_last,
                      view_forward=view_forward)
    ds = load_dataset("cifar10", "train", 32)
    method = build_method(cfg)
    if channels_last: method.to(memory_format=torch.channels_last)
    opt = make_optimizer(cfg, method)
    if compile: method.model = torch.compile(method.model)
    g = torch.Generator().manual_seed(0)

    def step():
        idx = torch.randint(len(ds), (BATCH,), generator=g)
        with autocast(precision): loss = method.loss(ds.images[idx], ds.labels[idx], g)
        opt.zero_grad(); loss.backward(); opt.step()
    return BATCH / timed(step), method


def lightly_loop(num_workers):
    import torchvision
    from lightly.loss import NTXentLoss
    from lightly.transforms import SimCLRTransform
    from lightly.models.modules import SimCLRProjectionHead
    from contrastive_study.models import ResNetBackbone

    class SimCLR(nn.Module):  # the model of lightly's SimCLR example
        def __init__(self, backbone):
            super().__init__()
            self.backbone, self.projection_head = backbone, SimCLRProjectionHead(512, 2048, 128)
        def forward(self, x): return self.projection_head(self.backbone(x).flatten(start_dim=1))

    torch.manual_seed(0)
    model = SimCLR(ResNetBackbone("resnet18", 64, cifar_stem=True))
    ds = torchvision.datasets.ImageFolder(str(data_root() / "cifar10" / "train"), transform=SimCLRTransform(input_size=32, gaussian_blur=0.0))
    loader = torch.utils.data.DataLoader(ds, batch_size=BATCH, shuffle=True, drop_last=True, num_workers=num_workers,
                                         persistent_workers=num_workers > 0)
    criterion, opt = NTXentLoss(), torch.optim.SGD(model.parameters(), lr=0.06)
    it = iter(loader)

    def step():
        (x0, x1), _ = next(it)
        loss = criterion(model(x0), model(x1))
        opt.zero_grad(); loss.backward(); opt.step()
    return BATCH / timed(step)


def step_flops_per_image(method):
    "Model FLOPs of one training step (forward + backward of both views), per input image."
    x = torch.randn(2 * 16, 3, 32, 32).contiguous(memory_format=torch.channels_last)
    with FlopCounterMode(display=False) as fc:
        method.model(x).float().pow(2).mean().backward()
    method.zero_grad()
    return fc.get_total_flops() / 16


if __name__ == "__main__":
    if not (data_root() / "cifar10" / "train").is_dir():
        sys.exit(f"needs CIFAR-10 as an ImageFolder under {data_root()}/cifar10 (set CONTRASTIVE_DATA)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, threads {torch.get_num_threads()}")
    bf16_rate, fp32_rate = matmul_rate(torch.bfloat16), matmul_rate(torch.float32)
    print(f"matmul 2048^3: bf16 {bf16_rate / 1e9:.0f} GFLOP/s, fp32 {fp32_rate / 1e9:.0f} GFLOP/s")
    res = {}
    res["ours (bf16, channels_last)"], method = ours("bf16", True)
    flops = step_flops_per_image(method)
    res["ours (fp32, NCHW)"], _ = ours("fp32", False)
    res["ours (bf16, channels_last, joint views)"], _ = ours("bf16", True, view_forward="joint")
    if os.environ.get("BENCH_COMPILE"):
        t = time.perf_counter(); res["ours (bf16, channels_last, compiled)"], _ = ours("bf16", True, compile=True)
        print(f"torch.compile variant measured in {time.perf_counter() - t:.0f}s (compilation included in warm-up)")
    for w in (0, 2): res[f"lightly 1.6 (fp32, {w} workers)"] = lightly_loop(w)
    bf16_rate = max(bf16_rate, matmul_rate(torch.bfloat16))     # measured again at the end: the higher of the two
    print(f"matmul 2048^3 at the end: bf16 {bf16_rate / 1e9:.0f} GFLOP/s (the higher reading is used)")
    print(f"\nSimCLR step, CIFAR-stem ResNet-18 w64, batch {BATCH} (two 32 px views per image), {STEPS} timed steps after {WARMUP} warm-up")
    print(f"model FLOPs per image (fwd+bwd, both views): {flops / 1e9:.2f} GFLOP")
    for k, v in res.items():
        print(f"  {k:34s} {v:7.1f} img/s   {v * flops / 1e9:6.0f} GFLOP/s")
    best_lightly = max(v for k, v in res.items() if k.startswith("lightly"))
    ours_rate = res["ours (bf16, channels_last)"]
    print(f"\nratio ours / lightly (its faster setting): {ours_rate / best_lightly:.2f}x  (target >= 2.5x)")
    print(f"ours achieved {ours_rate * flops / 1e9:.0f} GFLOP/s = {ours_rate * flops / bf16_rate:.0%} of the measured bf16 matmul rate (target >= 70%)")
    json.dump(dict(results_img_per_s=res, flops_per_image=flops, bf16_matmul=bf16_rate, fp32_matmul=fp32_rate,
                   ratio=ours_rate / best_lightly, fraction_of_bf16=ours_rate * flops / bf16_rate),
              open(os.path.join(os.path.dirname(__file__), "bench_simclr_step.json"), "w"), indent=2)
