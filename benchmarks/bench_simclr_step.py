"""Benchmark: SimCLR training-step throughput, ours vs lightly 1.6, and against the machine's bf16 matmul rate.

Same machine, same run, same backbone (CIFAR-stem ResNet-18, width 64), same head (512-2048-128),
same data (CIFAR-10 train split from the data root), batch 256 images (two views each).
lightly runs as its own examples run it: torchvision ImageFolder with its SimCLRTransform
(32 px, no blur), a DataLoader, two forward passes, its NTXentLoss, SGD. It runs twice over: fp32 as its
example ships, and at its best settings, bf16 autocast and channels_last (what a lightly user gets from
Lightning's `precision="bf16-mixed"` and one `.to(memory_format=torch.channels_last)`); each with 0 and 2
DataLoader workers. The headline ratio is against lightly's best.

The ceiling: no implementation of the same model FLOPs can beat the machine's bf16 matrix-product rate, so
`bf16 rate / FLOPs per image` bounds every line, ours and lightly's alike, and `ceiling / lightly's best` is the
largest ratio any step could reach on this machine without changing the model's math.
A short profile (torch.profiler, our step) gives the share of time per operator class. The budget recipe's own step
(width 32, at its 16 px and 32 px crops) is timed too, with its FLOPs, against the same bf16 rate.

Prints figures; asserts nothing (speed is not a test). Run: make bench
"""
import os, sys, time, json
import torch, torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode

from contrastive_study.config import TrainConfig
from contrastive_study.data import load_dataset, data_root
from contrastive_study.methods.base import build_method
from contrastive_study.training import make_optimizer
from contrastive_study.evaluation import autocast

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))
from machine import describe

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


def ours(precision="bf16", channels_last=True, compile=False, view_forward="separate", width=64, side=32):
    cfg = TrainConfig(dataset="cifar10", width=width, batch_size=BATCH, precision=precision, channels_last=channels_last,
                      view_forward=view_forward)
    ds = load_dataset("cifar10", "train", 32)
    method = build_method(cfg)
    method.augment.size = side      # the crops' side, as a progressive-resizing epoch sets it
    if channels_last: method.to(memory_format=torch.channels_last)
    opt = make_optimizer(cfg, method)
    if compile: method.model = torch.compile(method.model)
    g = torch.Generator().manual_seed(0)

    def step():
        idx = torch.randint(len(ds), (BATCH,), generator=g)
        with autocast(precision): loss = method.loss(ds.images[idx], ds.labels[idx], g)
        opt.zero_grad(); loss.backward(); opt.step()
    rate = BATCH / timed(step)
    ours.last_step = step
    return rate, method


def lightly_loop(num_workers, best=False):
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
    if best: model = model.to(memory_format=torch.channels_last)
    it = iter(loader)

    def step():
        (x0, x1), _ = next(it)
        if best:   # Lightning's precision="bf16-mixed" is this autocast around the forward pass and the loss
            x0, x1 = (x.contiguous(memory_format=torch.channels_last) for x in (x0, x1))
            with torch.autocast("cpu", dtype=torch.bfloat16): loss = criterion(model(x0), model(x1))
        else: loss = criterion(model(x0), model(x1))
        opt.zero_grad(); loss.backward(); opt.step()
    return BATCH / timed(step)


OP_CLASSES = [  # (class, substrings of aten operator names), first match wins
    ("convolution backward", ("convolution_backward",)),
    ("convolution forward", ("mkldnn_convolution", "convolution", "conv2d")),
    ("BatchNorm", ("batch_norm",)),
    ("ReLU", ("relu", "threshold_backward")),
    ("residual add", ("aten::add",)),
    ("linear (head)", ("addmm", "aten::mm", "linear")),
    ("casts and copies", ("aten::to", "_to_copy", "copy_", "contiguous", "clone")),
    ("optimiser", ("sgd", "_foreach", "aten::mul_", "aten::add_")),
]

def profile_shares(step, steps=2):
    "Share of self CPU time per operator class over `steps` steps (after one warm-up step)."
    from torch.profiler import profile, ProfilerActivity
    step()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps): step()
    shares = {}
    for e in prof.key_averages():
        cls = next((c for c, keys in OP_CLASSES if any(k in e.key for k in keys)), "other (augmentation, loss, ...)")
        shares[cls] = shares.get(cls, 0.0) + e.self_cpu_time_total
    total = sum(shares.values())
    return {k: v / total for k, v in sorted(shares.items(), key=lambda kv: -kv[1])}


def step_flops_per_image(method, side=32):
    "Model FLOPs of one training step (forward + backward of both views of `side` px), per input image."
    x = torch.randn(2 * 16, 3, side, side).contiguous(memory_format=torch.channels_last)
    with FlopCounterMode(display=False) as fc:
        method.model(x).float().pow(2).mean().backward()
    method.zero_grad()
    return fc.get_total_flops() / 16


if __name__ == "__main__":
    if not (data_root() / "cifar10" / "train").is_dir():
        sys.exit(f"needs CIFAR-10 as an ImageFolder under {data_root()}/cifar10 (set CONTRASTIVE_DATA)")
    print(f"machine: {describe()}")
    bf16_rate, fp32_rate = matmul_rate(torch.bfloat16), matmul_rate(torch.float32)
    print(f"matmul 2048^3: bf16 {bf16_rate / 1e9:.0f} GFLOP/s, fp32 {fp32_rate / 1e9:.0f} GFLOP/s")
    res = {}
    res["ours (bf16, channels_last)"], method = ours("bf16", True)
    shares = profile_shares(ours.last_step)
    flops = step_flops_per_image(method)
    res["ours (fp32, NCHW)"], _ = ours("fp32", False)
    res["ours (bf16, channels_last, joint views)"], _ = ours("bf16", True, view_forward="joint")
    if os.environ.get("BENCH_COMPILE"):
        t = time.perf_counter(); res["ours (bf16, channels_last, compiled)"], _ = ours("bf16", True, compile=True)
        print(f"torch.compile variant measured in {time.perf_counter() - t:.0f}s (compilation included in warm-up)")
    # the budget recipe's own step (study/budget/cifar10.yaml: width 32, 16 px crops for 60% or 80% of the time, then 32 px): the
    # same code on smaller convolutions, so its share of the machine's rate is measured too, not inferred from width 64's
    recipe = {}
    for side in (16, 32):
        rate, m = ours("bf16", True, width=32, side=side)
        f = step_flops_per_image(m, side)
        recipe[f"width 32, {side} px"] = dict(img_per_s=rate, flops_per_image=f, gflop_per_s=rate * f / 1e9)
    for w in (0, 2): res[f"lightly 1.6 (fp32, {w} workers)"] = lightly_loop(w)
    for w in (0, 2): res[f"lightly 1.6 (bf16, channels_last, {w} workers)"] = lightly_loop(w, best=True)
    bf16_rate = max(bf16_rate, matmul_rate(torch.bfloat16))     # measured again at the end: the higher of the two
    print(f"matmul 2048^3 at the end: bf16 {bf16_rate / 1e9:.0f} GFLOP/s (the higher reading is used)")
    print(f"\nSimCLR step, CIFAR-stem ResNet-18 w64, batch {BATCH} (two 32 px views per image), {STEPS} timed steps after {WARMUP} warm-up")
    print(f"model FLOPs per image (fwd+bwd, both views): {flops / 1e9:.2f} GFLOP")
    for k, v in res.items():
        print(f"  {k:34s} {v:7.1f} img/s   {v * flops / 1e9:6.0f} GFLOP/s")
    best_lightly = max(v for k, v in res.items() if k.startswith("lightly 1.6 (bf16"))
    example_lightly = max(v for k, v in res.items() if k.startswith("lightly 1.6 (fp32"))
    ours_rate = res["ours (bf16, channels_last)"]
    ceiling = bf16_rate / flops
    print(f"  {'ceiling (bf16 matmul rate / FLOPs)':34s} {ceiling:7.1f} img/s")
    print(f"\nratio ours / lightly at its best (bf16, channels_last): {ours_rate / best_lightly:.2f}x  (target >= 1.5x)")
    print(f"ratio ours / lightly's example as it ships (fp32):      {ours_rate / example_lightly:.2f}x")
    print(f"largest ratio the same FLOPs allow here (ceiling / lightly at its best): {ceiling / best_lightly:.2f}x")
    print(f"ours achieved {ours_rate * flops / 1e9:.0f} GFLOP/s = {ours_rate * flops / bf16_rate:.0%} of the measured bf16 matmul rate "
          "(target >= 50% with AMX, 70% without)")
    print(f"\nthe budget recipe's step (bf16, channels_last, batch {BATCH}):")
    for k, r in recipe.items():
        r["fraction_of_bf16"] = r["gflop_per_s"] * 1e9 / bf16_rate
        print(f"  {k:34s} {r['img_per_s']:7.1f} img/s   {r['flops_per_image'] / 1e9:5.2f} GFLOP/img   {r['gflop_per_s']:6.0f} GFLOP/s = "
              f"{r['fraction_of_bf16']:.0%} of the bf16 matmul rate")
    print("\nprofile of our step (share of CPU time per operator class):")
    for k, v in shares.items(): print(f"  {k:34s} {v:6.1%}")
    json.dump(dict(machine=describe(), results_img_per_s=res, flops_per_image=flops, bf16_matmul=bf16_rate, fp32_matmul=fp32_rate,
                   ratio=ours_rate / best_lightly, ratio_to_example=ours_rate / example_lightly, ceiling_img_per_s=ceiling,
                   ceiling_ratio=ceiling / best_lightly, fraction_of_bf16=ours_rate * flops / bf16_rate, profile_shares=shares,
                   budget_recipe=recipe),
              open(os.path.join(os.path.dirname(__file__), "bench_simclr_step.json"), "w"), indent=2)
