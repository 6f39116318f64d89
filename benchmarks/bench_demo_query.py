"""Server-side time per query of the retrieval app (`contrastive-study demo`): embed the query, search, make the thumbnails.

    CONTRASTIVE_RUNS=runs .venv/bin/python benchmarks/bench_demo_query.py clip/<run id> [--queries 200] [--kinds hnsw flat ivfpq]

The gallery is the run's training split (CIFAR-10: 50,000 images). For each index kind: the time to build it (once;
the app keeps it beside the run), then the median and 95th percentile per query of each kind (a text through
MiniLM and the run's text head, a gallery image, an uploaded PNG), split into embed / search / thumbnails, as
`DemoSearch` measures them for the page. Writes `benchmarks/bench_demo_query.json` with the machine it ran on.
"""
import argparse, io, json, sys, time
from pathlib import Path
import numpy as np, torch
from PIL import Image
from contrastive_study.demo import DemoSearch
sys.path.insert(0, str(Path(__file__).parent.parent / "tools"))
from machine import describe

p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
p.add_argument("run"); p.add_argument("--queries", type=int, default=200); p.add_argument("--k", type=int, default=12)
p.add_argument("--kinds", nargs="+", default=["hnsw", "flat"]); p.add_argument("--runs", default=None)
p.add_argument("--out", default=str(Path(__file__).with_suffix(".json")))
a = p.parse_args()
print(describe(), flush=True)
pct = lambda xs, q: float(np.percentile(xs, q))
out = dict(machine=describe(), run=a.run, k=a.k, queries=a.queries, kinds={})
for kind in a.kinds:
    t = time.time(); s = DemoSearch(a.run, kind, root=a.runs); build = time.time() - t
    ds, rng = s.searcher.dataset, np.random.default_rng(0)
    items = rng.choice(len(ds), a.queries, replace=False).tolist()
    def png(i):
        buf = io.BytesIO(); Image.fromarray(ds[int(i)][0].permute(1, 2, 0).numpy()).save(buf, "PNG"); return buf.getvalue()
    uploads = [png(i) for i in rng.choice(len(ds), a.queries, replace=False)]
    kinds = dict(image=lambda n: s.by_item(items[n], a.k), upload=lambda n: s.by_upload(uploads[n], k=a.k))
    # every text is new (the text encoder caches what it has seen, and a user's queries are new to it)
    if s.has_text: kinds["text"] = lambda n: s.by_text(f"a photo of a {s.classes[n % len(s.classes)]}, {kind} picture {n}.", a.k)
    res = dict(gallery=len(s.index), build_or_load_seconds=round(build, 1), per_query={})
    print(f"{kind}: index of {len(s.index):,} built or loaded in {build:.1f} s", flush=True)
    for name, ask in kinds.items():
        for n in range(5): ask(a.queries - 1 - n)                      # warm-up (first calls allocate)
        ms = [ask(n)["ms"] for n in range(a.queries - 5)]
        res["per_query"][name] = {part: dict(median=pct([m[part] for m in ms], 50), p95=pct([m[part] for m in ms], 95))
                                  for part in ("total", "embed", "search", "thumbnails")}
        r = res["per_query"][name]
        print(f"{kind:6s} {name:7s} total median {r['total']['median']:6.1f} ms  p95 {r['total']['p95']:6.1f} ms   (embed "
              f"{r['embed']['median']:.1f}, search {r['search']['median']:.2f}, thumbnails {r['thumbnails']['median']:.1f})  "
              f"gallery {len(s.index):,}", flush=True)
    out["kinds"][kind] = res
Path(a.out).write_text(json.dumps(out, indent=2) + "\n")
print(f"threads {torch.get_num_threads()}; written {a.out}")
