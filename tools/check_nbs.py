"""Fail when a notebook is not clean or the exported library differs from the notebooks.

Like fastai's nbdev CI, but on a scratch copy, so it works with uncommitted changes and never
modifies the working tree: copy settings + nbs + library, run `nbdev_clean` and `nbdev_export`
there, and compare every file with the original.
"""
import filecmp, shutil, subprocess, sys, tempfile
from pathlib import Path

root = Path(__file__).resolve().parent.parent
bindir = Path(sys.executable).parent
problems = []


def _files(base):
    "Relative paths of the files under `base`, without caches, checkpoints and run folders."
    skip = {"__pycache__", ".ipynb_checkpoints", "runs"}
    return {p.relative_to(base) for p in base.rglob("*") if p.is_file() and not skip & set(p.parts)}

with tempfile.TemporaryDirectory() as d:
    d = Path(d)
    for f in ("settings.ini", "setup.py", "pyproject.toml"): shutil.copy(root / f, d / f)
    shutil.copytree(root / "nbs", d / "nbs", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "runs", "_proc"))
    shutil.copytree(root / "contrastive_study", d / "contrastive_study", ignore=shutil.ignore_patterns("__pycache__"))
    for cmd in ("nbdev_clean", "nbdev_export"):
        r = subprocess.run([str(bindir / cmd)], cwd=d, capture_output=True, text=True)
        if r.returncode: sys.exit(f"{cmd} failed:\n{r.stdout}\n{r.stderr}")
    for sub, what, hint in (("nbs", "notebook not clean", "run nbdev_clean"),
                            ("contrastive_study", "library out of sync with the notebooks", "run nbdev_export")):
        before, after = _files(root / sub), _files(d / sub)
        for rel in sorted(before | after):
            a, b = root / sub / rel, d / sub / rel
            if not (a.exists() and b.exists() and filecmp.cmp(a, b, shallow=False)):
                problems.append(f"{what}: {sub}/{rel} ({hint})")
if problems:
    sys.exit("\n".join(problems))
print("notebooks clean, library in sync")
