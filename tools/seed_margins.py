"""Measure, over seeds, every quantity the notebook tests assert about what a tiny training learned.

A tiny training ends a little differently on each CPU kind (bf16 and fp32 kernels differ), about as much as
a change of seed. So each threshold in the notebooks is set from the range this script measures over seeds,
with the test's own settings, and the range is written beside the assertion. Rerun it after changing a test's
settings, and paste the new range beside the assertion.

    .venv/bin/python tools/seed_margins.py                     # every check, seeds 0-5
    .venv/bin/python tools/seed_margins.py clip methods --seeds 0 1 2 3 4 5 6 7

Prints one line per check and seed, then min / median / max of each quantity, and the CPU it ran on.
"""
import argparse, os, statistics, sys, tempfile, time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
import torch
from contrastive_study.config import TrainConfig
from contrastive_study.training import train, load_method
from contrastive_study.study import run_experiment
sys.path.insert(0, str(Path(__file__).parent))
from machine import describe

# The settings below are copied from the notebook cells named in each docstring; keep them in step.
TINY = dict(dataset="synthetic", width=8, proj_hidden=64, proj_dim=32, batch_size=64, epochs=3, lr=0.5, knn_k=20, precision="fp32")


def check_training(seed, root):
    "06_training: the tiny SimCLR run (bf16 autocast where the CPU has it, the default) and its fp16 twin."
    tiny = TrainConfig(**{**TINY, "precision": "auto"}, knn_every=1, probe_steps=0, seed=seed)
    h = train(tiny, root=root, progress=False).metrics()
    f = train(tiny.replace(precision="fp16", epochs=1), root=root, progress=False).metrics()
    return dict(knn=h[-1]["knn_top1"], loss_drop=h[0]["loss"] - h[-1]["loss"], knn_fp16=f[-1]["knn_top1"])


def study_config(seed):
    "07_study's tiny config: a 2-epoch SimCLR on the synthetic set, fp32."
    return TrainConfig(width=8, proj_hidden=64, proj_dim=32, batch_size=100, epochs=2, lr=0.5, knn_k=20, probe_steps=50,
                       precision="fp32", seed=seed)


def check_study(seed, root):
    "07_study: run_experiment of a 2-epoch SimCLR (kNN and linear probe; chance 0.1)."
    r = run_experiment(study_config(seed), root=root, progress=False)
    return dict(knn=r["knn_top1"], linear=r["linear_top1"])


def check_methods(seed, root):
    "methods/01-04: each method's kNN after 3 epochs (the notebooks' tiny runs)."
    out = {}
    for name, extra in [("supcon", {}), ("ce", {}), ("moco", dict(queue_size=256, bn_splits=4, key_momentum=0.9)),
                        ("simclr", dict(queue_size=256))]:
        out[f"knn_{name}"] = run_experiment(TrainConfig(method=name, **TINY, probe_steps=30, **extra, seed=seed), root=root, progress=False)["knn_top1"]
    return out


def check_multi_view(seed, root):
    "methods/01_simclr: SimCLR with 2 global views and 4 local crops of 16 px, 3 epochs; kNN."
    cfg = TrainConfig(method="simclr", **TINY, probe_steps=30, local_crops=4, local_size=16, seed=seed)
    return dict(knn_multicrop=run_experiment(cfg, root=root, progress=False)["knn_top1"])


def check_balanced(seed, root):
    "methods/02_supcon: SupCon on class-balanced batches (16 images of each of 4 classes per batch of 64), 3 epochs; kNN."
    cfg = TrainConfig(method="supcon", **TINY, probe_steps=30, images_per_class=16, seed=seed)
    return dict(knn_balanced=run_experiment(cfg, root=root, progress=False)["knn_top1"])


def check_empssl(seed, root):
    "methods/09_empssl: 8 patches of a quarter of the image, 3 epochs; kNN (whole image and patch-averaged) and the untrained control."
    tiny = dict(TINY, probe_steps=30, global_views=8, crop_scale_min=0.25, crop_scale_max=0.25, seed=seed)
    cfg = TrainConfig(method="empssl", **tiny)
    r, u = run_experiment(cfg, root=root, progress=False), run_experiment(cfg.replace(lr=1e-9), root=root, progress=False)
    return dict(knn=r["knn_top1"], patch_knn=r["patch_knn_top1"], untrained=u["knn_top1"], gain=r["knn_top1"] - u["knn_top1"])


def check_no_negatives(seed, root):
    "methods/05_byol, 06_simsiam: 6 epochs each; kNN and the collapse monitor (output_std) of the last epoch; untrained (lr 1e-9) kNN."
    from contrastive_study.config import Run
    out = {}
    for name in ("byol", "simsiam"):
        cfg = TrainConfig(method=name, **{**TINY, "epochs": 6}, probe_steps=30, seed=seed)
        out[f"knn_{name}"] = run_experiment(cfg, root=root, progress=False)["knn_top1"]
        out[f"std_{name}"] = Run(cfg, root).metrics()[-1]["output_std"]
        out[f"untrained_{name}"] = run_experiment(cfg.replace(lr=1e-9), root=root, progress=False)["knn_top1"]
    return out


def check_two_stage(seed, root, stage1_lr=0.5):
    "methods/03_ce: SupCon (stage 1), then a classifier on the frozen encoder and one fine-tuned jointly: the classifier's top-1."
    base = dict(TINY, probe_steps=30, seed=seed)
    stage1 = run_experiment(TrainConfig(method="supcon", **{**base, "lr": stage1_lr}), root=root, progress=False)
    two = dict(base, method="ce", init_run=f"supcon/{stage1['run_id']}", epochs=8)
    return dict(frozen=run_experiment(TrainConfig(**two, freeze_backbone=True), root=root, progress=False)["classifier_top1"],
                joint=run_experiment(TrainConfig(**two), root=root, progress=False)["classifier_top1"])


CLIP = dict(dataset="synthetic", method="clip", width=8, batch_size=64, epochs=10, lr=0.1, temperature=0.1,
            proj_hidden=64, proj_dim=32, probe_steps=0, precision="fp32")


def check_clip(seed, root):
    "11_clip, 12_retrieval, 13_widget: the tiny mini-CLIP run: zero-shot, text search, retrieval precision, static ranking."
    from contrastive_study.methods.clip import zero_shot
    from contrastive_study.data import load_dataset, SYNTHETIC_CLASSES
    from contrastive_study.retrieval import build_run_index, Searcher, evaluate_retrieval
    from contrastive_study.widget import static_gallery, static_ranking
    run = train(TrainConfig(**CLIP, seed=seed), root=root, progress=False)
    zs = zero_shot(load_method(run), load_dataset("synthetic", "test"))["zero_shot_top1"]
    s = Searcher(build_run_index(run, "train"), root=root)
    drum = sum(l == 3 for l in s.by_text(["a photo of a drum."], k=20)[0]["labels"])
    p10 = evaluate_retrieval(run, k=10)["precision@10"]
    data = static_gallery(s, n_items=300, text_queries=[f"a photo of a {c}." for c in SYNTHETIC_CLASSES])
    static = [sum(data["labels"][p] == c for p in static_ranking(data, f"text:{c}", 8)) for c in range(10)]
    return dict(zero_shot=zs, drum_in_top20=drum, precision_at_10=p10, drum_static_top8=static[3], worst_class_static_top8=min(static))


def check_study_clip(seed, root):
    "16_report: the tiny study's mini-CLIP point (the study's base settings, 6 epochs); clip.ipynb asserts zero-shot > 2x chance."
    cfg = TrainConfig(dataset="synthetic", method="clip", epochs=6, width=8, batch_size=100, lr=0.5, proj_hidden=32, proj_dim=16,
                      probe_steps=20, knn_every=1, precision="fp32", seed=seed)
    r = run_experiment(cfg, root=root, progress=False)
    return dict(zero_shot=r["zero_shot_top1"], knn=r["knn_top1"])


def check_random_init(seed, root):
    "07_study: the random-init floor of the 2-epoch SimCLR config (the encoder as built, BatchNorm with its initial statistics)."
    from contrastive_study.study import random_init_results
    r = random_init_results(study_config(seed), root=root, progress=False)
    return dict(knn=r["knn_top1"], linear=r["linear_top1"])


def check_analysis(seed, root):
    "15_analysis: the tiny SimCLR run of the robustness and 2-D map tests: clean kNN, 1-NN label agreement of the maps."
    from contrastive_study.config import Run
    from contrastive_study.analysis import robustness, embedding_2d
    cfg = TrainConfig(width=8, proj_hidden=64, proj_dim=32, batch_size=100, epochs=3, lr=0.5, knn_k=20, probe_steps=50,
                      precision="fp32", seed=seed)
    run_experiment(cfg, root=root, progress=False)
    run = Run(cfg, root)
    out = dict(knn=robustness(run, ("noise",), test_images=0, progress=False)["clean"]["knn_top1"])
    for kind in ("tsne", "umap", "pca"):
        e = embedding_2d(run, kind, points=300)
        xy = torch.tensor([e["x"], e["y"]]).T; lab = torch.tensor(e["label"])
        out[f"nn1_{kind}"] = (lab[torch.cdist(xy, xy).fill_diagonal_(float("inf")).argmin(1)] == lab).float().mean().item()
    return out


def check_clip_notebook(seed, root):
    "nbs/experiments/clip.ipynb with its defaults (7 seen classes, bf16 where the CPU has it): zero-shot > 2x chance."
    import papermill as pm, json
    out = Path(root) / "clip.ipynb"
    pm.execute_notebook("nbs/experiments/clip.ipynb", str(out), parameters=dict(seed=seed, runs_root=root), progress_bar=False)
    res = json.loads(next(Path(root).glob("clip/*/results.json")).read_text())
    return dict(zero_shot=res["zero_shot_top1"], chance=res["zero_shot_chance"])


DISTRIBUTED = """
import sys
from contrastive_study.config import TrainConfig
from contrastive_study.study import run_experiment
for method, extra in (("simclr", {}), ("moco", dict(queue_size=200, bn_splits=2, key_momentum=0.9))):
    run_experiment(TrainConfig(method=method, dataset="synthetic", width=8, proj_hidden=64, proj_dim=32, batch_size=64, epochs=3,
                               lr=0.5, knn_k=20, probe_steps=20, precision="fp32", seed=int(sys.argv[2]), **extra), root=sys.argv[1], progress=False)
import torch.distributed as dist
if dist.is_initialized(): dist.barrier(); dist.destroy_process_group()
"""


def check_distributed(seed, root):
    "09_distributed: SimCLR and MoCo trained by two torchrun processes (one thread each): kNN."
    import json, subprocess
    script = Path(root) / "job.py"; script.write_text(DISTRIBUTED)
    env = {**os.environ, "GLOO_SOCKET_IFNAME": "lo", "OMP_NUM_THREADS": "1"}
    subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", str(script), root, str(seed)],
                   check=True, capture_output=True, env=env)
    return {f"knn_{m}": json.loads(next(Path(root).glob(f"{m}/*/results.json")).read_text())["knn_top1"] for m in ("simclr", "moco")}


def check_untrained(seed, root):
    "Negative controls: the tiny SimCLR and mini-CLIP runs with a learning rate too small to learn anything (lr 1e-9)."
    from contrastive_study.methods.clip import zero_shot
    from contrastive_study.data import load_dataset
    knn = train(TrainConfig(**{**TINY, "lr": 1e-9}, knn_every=3, probe_steps=0, seed=seed), root=root, progress=False).metrics()[-1]["knn_top1"]
    study = run_experiment(TrainConfig(width=8, proj_hidden=64, proj_dim=32, batch_size=100, epochs=2, lr=1e-9, knn_k=20, probe_steps=50,
                                       precision="fp32", seed=seed), root=root, progress=False)
    run = train(TrainConfig(**{**CLIP, "lr": 1e-9}, seed=seed), root=root, progress=False)
    return dict(knn_simclr=knn, knn_study=study["knn_top1"], linear_study=study["linear_top1"],
                zero_shot_clip=zero_shot(load_method(run), load_dataset("synthetic", "test"))["zero_shot_top1"],
                **{f"two_stage_{k}": v for k, v in check_two_stage(seed, root, stage1_lr=1e-9).items()})


CHECKS = dict(untrained=check_untrained, random_init=check_random_init, training=check_training, study=check_study, methods=check_methods, multi_view=check_multi_view, balanced=check_balanced, empssl=check_empssl, no_negatives=check_no_negatives,
              two_stage=check_two_stage, clip=check_clip,
              study_clip=check_study_clip, clip_notebook=check_clip_notebook,
              analysis=check_analysis, distributed=check_distributed)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("checks", nargs="*", default=list(CHECKS), help=f"any of {', '.join(CHECKS)}")
    p.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4, 5])
    a = p.parse_args()
    print(describe(), flush=True)
    for name in a.checks:
        rows = []
        for seed in a.seeds:
            with tempfile.TemporaryDirectory() as root:
                t = time.time(); r = CHECKS[name](seed, root)
            rows.append(r)
            print(f"{name} seed {seed} ({time.time() - t:.0f} s): " + ", ".join(f"{k} {v:.3f}" for k, v in r.items()), flush=True)
        for k in rows[0]:
            v = sorted(r[k] for r in rows)
            print(f"  {name}.{k}: min {v[0]:.3f}  median {statistics.median(v):.3f}  max {v[-1]:.3f}  over seeds {a.seeds}", flush=True)


if __name__ == "__main__":
    main()
