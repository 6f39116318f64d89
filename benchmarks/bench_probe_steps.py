"""Benchmark: has the linear probe converged? `linear_probe` (L-BFGS from zero, the records' standardisation and L2 penalty)
at 100 / 200 / 400 / 1000 steps, on the features of finished runs and on the no-backprop k-means patch features.

The records probe every trained row with 100 steps. A trained encoder's pooled features (256-d at width 32) converge well
before that; the k-means reference's 6,400-d features do not, so its linear accuracy at 100 steps understates it and a
record gives its row a longer probe (`-p kmeans_patches '{"k": 1600, "probe_steps": 1000}'`). Prints each probe and
writes benchmarks/bench_probe_steps.json; asserts nothing (a measurement, not a test). About 12 min on AMD Zen 5, most of it
the k-means features (6 min) and their 1000-step probe (5 min).

Run:  python benchmarks/bench_probe_steps.py simclr/<run id> [...]      (CONTRASTIVE_DATA must point at the datasets)
"""
import json, sys, time
from pathlib import Path
from contrastive_study.config import open_run
from contrastive_study.training import load_method
from contrastive_study.data import load_dataset
from contrastive_study.evaluation import extract_features, linear_probe
from contrastive_study.kmeans_patches import fit_patch_features
from contrastive_study.study import cpu_kind

STEPS = [100, 200, 400, 1000]

def probe_curve(ftr, ytr, fte, yte, name):
    "Test and train top-1 (%) of the probe at each of `STEPS`, and its seconds."
    rows = []
    for s in STEPS:
        t = time.time(); p = linear_probe(ftr, ytr, fte, yte, steps=s, num_classes=10)
        rows.append(dict(features=name, dim=ftr.shape[1], steps=s, test=round(p["top1"] * 100, 2), train=round(p["train_top1"] * 100, 2),
                         seconds=round(time.time() - t, 1)))
        print(json.dumps(rows[-1]), flush=True)
    return rows

if __name__ == "__main__":
    out = dict(cpu=cpu_kind(), rows=[])
    train_ds, test_ds = load_dataset("cifar10", "train", 32), load_dataset("cifar10", "test", 32)
    for rid in sys.argv[1:]:   # each finished run: its backbone's features, as `evaluate_backbone` extracts them
        m = load_method(open_run(rid))
        ftr, ytr = extract_features(m.backbone, train_ds); fte, yte = extract_features(m.backbone, test_ds)
        out["rows"] += probe_curve(ftr, ytr, fte, yte, f"simclr {rid}")
    t = time.time(); km = fit_patch_features(train_ds)   # the records' reference: 1600 centroids, 6x6 patches, seed 0
    ftr, ytr = extract_features(km, train_ds, precision="fp32", channels_last=False); fte, yte = extract_features(km, test_ds, precision="fp32", channels_last=False)
    print(f"k-means features in {time.time() - t:.0f} s", flush=True)
    out["rows"] += probe_curve(ftr, ytr, fte, yte, "kmeans-patches")
    Path("benchmarks/bench_probe_steps.json").write_text(json.dumps(out, indent=1) + "\n")
