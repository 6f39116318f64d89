"""Benchmark: Faiss retrieval over >= 100,000 real embeddings — exact flat index vs HNSW vs a NumPy brute force,
and the latency of a text query (MiniLM encoding + text projection + search).

Embeds every CIFAR-10 image (train + test) and every labelled Tiny-ImageNet image (train + val) with a finished
mini-CLIP run, in its joint image-text space, so one index serves image and text queries. Prints figures and
writes benchmarks/bench_retrieval.json; asserts nothing (speed is not a test).

Run:  python benchmarks/bench_retrieval.py clip/<run id>      (CONTRASTIVE_DATA must point at the datasets)
Targets (issue 5): HNSW recall@10 >= 0.95 at >= 5x the flat index's queries/s; a text query in < 30 ms.
"""
import json, os, sys, time
import numpy as np, torch
import faiss
from contrastive_study.config import open_run
from contrastive_study.data import load_dataset
from contrastive_study.training import load_method
from contrastive_study.retrieval import run_embeddings, make_faiss_index, recall_at_k

torch.set_num_threads(os.cpu_count()); faiss.omp_set_num_threads(os.cpu_count())
K, N_QUERIES = 10, 2000


def qps(search, queries, batch):
    "Queries per second answering `queries` in batches of `batch` (batch 1 = one query at a time)."
    t = time.perf_counter()
    out = [search(queries[i:i + batch]) for i in range(0, len(queries), batch)]
    return len(queries) / (time.perf_counter() - t), np.concatenate(out)


if __name__ == "__main__":
    run = open_run(sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__))
    method = load_method(run)
    t = time.perf_counter()
    parts = [run_embeddings(method, load_dataset(n, s, 32), "joint" if run.cfg.method == "clip" else "backbone")[0]
             for n in ("cifar10", "tiny-imagenet") for s in ("train", "test")]
    x = torch.cat(parts).numpy().astype(np.float32)
    print(f"run {run.dir}: {len(x):,} embeddings of dimension {x.shape[1]} in {time.perf_counter() - t:.0f} s")
    rng = np.random.default_rng(0)
    queries = x[rng.choice(len(x), N_QUERIES, replace=False)] + 0.0   # items of the collection as queries (image-to-image)
    res = dict(n=len(x), dim=int(x.shape[1]), k=K, queries=N_QUERIES, threads=faiss.omp_get_max_threads())

    t = time.perf_counter(); flat = make_faiss_index(x, "flat"); res["flat_build_s"] = time.perf_counter() - t
    res["flat_qps_batch"], exact = qps(lambda q: flat.search(q, K)[1], queries, 256)
    res["flat_qps_single"], _ = qps(lambda q: flat.search(q, K)[1], queries[:300], 1)

    def numpy_search(q):
        s = q @ x.T
        top = np.argpartition(-s, K, axis=1)[:, :K]
        return np.take_along_axis(top, np.argsort(-np.take_along_axis(s, top, 1), 1), 1)
    res["numpy_qps_batch"], np_ids = qps(numpy_search, queries, 256)
    res["numpy_recall@10"] = recall_at_k(np_ids.tolist(), exact.tolist(), K)

    t = time.perf_counter(); hnsw = make_faiss_index(x, "hnsw", hnsw_m=32, ef_construction=80); res["hnsw_build_s"] = time.perf_counter() - t
    res["hnsw"] = {}
    for ef in (16, 32, 64, 128):
        hnsw.hnsw.efSearch = ef
        b, ids = qps(lambda q: hnsw.search(q, K)[1], queries, 256)
        s1, _ = qps(lambda q: hnsw.search(q, K)[1], queries[:500], 1)
        res["hnsw"][ef] = dict(qps_batch=b, qps_single=s1, recall_at_10=recall_at_k(ids.tolist(), exact.tolist(), K))

    print(f"\n{len(x):,} x {x.shape[1]} vectors, top-{K}, {N_QUERIES} queries, {res['threads']} threads")
    print(f"  {'method':22s} {'build s':>8s} {'q/s (batch 256)':>16s} {'q/s (single)':>13s} {'recall@10':>10s}")
    print(f"  {'faiss flat (exact)':22s} {res['flat_build_s']:8.2f} {res['flat_qps_batch']:16,.0f} {res['flat_qps_single']:13,.0f} {1.0:10.3f}")
    print(f"  {'numpy brute force':22s} {0.0:8.2f} {res['numpy_qps_batch']:16,.0f} {'':>13s} {res['numpy_recall@10']:10.3f}")
    for ef, r in res["hnsw"].items():
        print(f"  {f'faiss HNSW32 ef={ef}':22s} {res['hnsw_build_s']:8.2f} {r['qps_batch']:16,.0f} {r['qps_single']:13,.0f} {r['recall_at_10']:10.3f}")
    ok = [(ef, r) for ef, r in res["hnsw"].items() if r["recall_at_10"] >= 0.95]
    if ok:
        ef, r = max(ok, key=lambda e: e[1]["qps_batch"])
        res["hnsw_at_target"] = dict(ef=ef, speedup_batch=r["qps_batch"] / res["flat_qps_batch"], speedup_single=r["qps_single"] / res["flat_qps_single"])
        print(f"\nHNSW at recall@10 >= 0.95 (ef={ef}): {res['hnsw_at_target']['speedup_batch']:.1f}x the flat index's q/s in batches, "
              f"{res['hnsw_at_target']['speedup_single']:.1f}x one query at a time (target >= 5x)")
    else: print("\nno HNSW setting reached recall@10 0.95")

    if run.cfg.method == "clip":
        hnsw.hnsw.efSearch = res["hnsw_at_target"]["ef"] if ok else 128
        words = load_dataset("tiny-imagenet", "train", 32).classes
        texts = [f"a photo of a {w} {i}" for i, w in enumerate(words[:100])]   # distinct texts: no embedding cache hits
        method.embed_texts(["warm-up"])
        lat = []
        for t_ in texts:
            t0 = time.perf_counter(); hnsw.search(method.embed_texts([t_]).numpy(), K); lat.append(time.perf_counter() - t0)
        lat = np.array(lat) * 1000
        res["text_query_ms"] = dict(median=float(np.median(lat)), p95=float(np.percentile(lat, 95)))
        print(f"text query (MiniLM encoding + projection + HNSW search), {len(lat)} distinct texts: median {res['text_query_ms']['median']:.1f} ms, "
              f"p95 {res['text_query_ms']['p95']:.1f} ms (target < 30 ms)")
    json.dump(res, open(os.path.join(os.path.dirname(__file__), "bench_retrieval.json"), "w"), indent=2, default=float)
