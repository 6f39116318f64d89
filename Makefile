# Two commands: `make study` (the quick study and its report website) and `make test` (the test suite).
# Each first checks the system packages it needs (tools/system-packages.sh: installs them where it can, else stops at once
# with the command to run), then creates or refreshes the virtual environment it needs.
SHELL := /bin/bash
.NOTPARALLEL:   # the system check runs before the venv is built
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Dataset root: $CONTRASTIVE_DATA if set, else data/ when it holds datasets, else ../shared/data when present.
CONTRASTIVE_DATA ?= $(if $(wildcard data/cifar10 data/cifar-10-batches-py),data,$(if $(wildcard ../shared/data),$(abspath ../shared/data),data))
export CONTRASTIVE_DATA

# The single long SimCLR run of issue 2: CIFAR-stem ResNet-18 at width 32, 18 epochs on CIFAR-10 (about 50 min on 2 cores).
# (the fields the template does not declare by name go in its `config` parameter)
SIMCLR_PARAMS := -p dataset cifar10 -p width 32 -p epochs 18 -p batch_size 256 -p proj_hidden 2048 -p proj_dim 128 -p probe_steps 100 \
	-y 'config: {lr: 0.5, temperature: 0.2, crop_scale_min: 0.2, knn_every: 3}'

# Study profile: study/quick.yaml (every method, reduced grids, robustness, retrieval, the site; within 60 min on 2 cores).
# Its records go to _study/ (untracked; checked against the published ones in reports/); PUBLISH=1 writes them into reports/.
PROFILE ?= study/quick.yaml

$(STAMP): setup.py settings.ini constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,text,retrieval,study,demo,tensorboard,cluster]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

venv: $(STAMP)

# the peer library (lightly, `bench` extra): its equal-time row's template (nbs/experiments/lightly_simclr.ipynb) is tested, and `make bench` compares step rates
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# system packages, before any venv or training work (the same script .ci/run calls)
system-test system-study: system-%:
	@PYTHON=$(PYTHON) tools/system-packages.sh $*

study: system-study $(STAMP)
	@echo "data root: $(CONTRASTIVE_DATA)"
	@HF_HUB_OFFLINE=1 $(BIN)/contrastive-study study $(PROFILE) $(if $(PUBLISH),--publish)

simclr-study: $(STAMP)
	$(BIN)/papermill nbs/experiments/train.ipynb reports/simclr_cifar10.ipynb -p method simclr $(SIMCLR_PARAMS) --cwd . --log-output --progress-bar

# The tests run two notebooks at a time, each with half the cores: with torch's default (a thread per core) the
# two workers oversubscribed a 2-core machine (AMD Zen 5: 16.0 min before, 6 to 9 after, with a shorter fp16 test).
# A library call that resets torch's threads undoes this for the rest of its worker: UMAP's numba did (torch's libgomp),
# until analysis.embedding_2d restored them (Intel AMX: 31.6 min before, 8.5 after).
# The notebooks keep only about 1.4 of 2 cores busy (Slurm's time limits and requeues, servers, browsers, subprocesses starting):
# on 2 cores a third worker of one thread fills some of those waits (Intel without AMX, the same code: 15.2 min with two, 13.6 and
# 14.4 with three). Starting 27_slurm, the longest notebook, first beside two workers instead of last gained nothing (14.3 min).
test: system-test $(BENCH_STAMP)
	@echo "data root: $(CONTRASTIVE_DATA)"
	@$(BIN)/python tools/machine.py
	$(BIN)/python tools/check_nbs.py
	CONTRASTIVE_RUNS=$$(mktemp -d) PATH=$(abspath $(BIN)):$$PATH OMP_NUM_THREADS=$$(( $$(nproc) > 3 ? $$(nproc) / 2 : 1 )) \
	  $(BIN)/nbdev_test --n_workers $$(( $$(nproc) > 3 ? 2 : 3 )) --timing
	@if ls tests/test_*.py >/dev/null 2>&1; then $(BIN)/python -m pytest -q tests; fi

# The retrieval app over finished runs (Streamlit on 127.0.0.1; RUNS="clip/<id> ..." to pick runs, PORT to move it)
PORT ?= 8501
demo: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/contrastive-study demo $(RUNS) --port $(PORT)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/bench_simclr_step.py

.PHONY: venv system-test system-study study simclr-study test demo bench
