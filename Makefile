# The two commands a newcomer needs: `make report` and `make test`. Both create the
# virtual environment in .venv on first use (Python 3.11+ as `python3`).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARTICLE ?= kursk-2025-01
SHARED ?= ../shared
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9]*.ipynb))

.PHONY: help install report test test-current lint notebooks eval bench bench-report bench-corpus bench-coverage bench-review fuzz lab clean

help:
	@echo "make report   - create .venv if needed and write reports/$(ARTICLE).html"
	@echo "make test     - ruff, unit and browser tests, and every notebook under nbval"
	@echo "make eval     - extraction scores (dev set, our corpus annotations, PolNeAR train), stance curves"
	@echo "make bench    - extraction speed (CPU) and memory on $(SHARED)/corpus, this tree against AGAINST=main"
	@echo "make bench-report - report size, render time and browser load time"
	@echo "make bench-corpus - corpus runs at 10,000 articles: 1 process, 2 processes, Dask"
	@echo "make bench-coverage - people registry, about and re-quotes at 10^4 to 10^6 statements"
	@echo "make bench-review - keys and typed characters per statement: a list of corrections replayed in JupyterLab"
	@echo "make fuzz     - 10,000 mutated corpus articles through loading and extraction: crashes, hangs"
	@echo "make lab      - open JupyterLab on the notebooks"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# setuptools' notes on editable installs are for package authors, not for the person installing.
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

report: $(STAMP)
	$(BIN)/opinions report $(ARTICLE) -o reports

PYTEST_ARGS := tests $(NOTEBOOKS) --nbval-lax --nbval-current-env \
	--nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

test: $(STAMP)
	$(BIN)/python -m ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same tests with the Python already active (the conda route): no .venv is made.
test-current:
	python -m ruff check .
	python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check utils tests benchmarks

# Re-run every notebook in place so the committed copies show current outputs.
notebooks: $(STAMP)
	cd notebooks && for nb in $(notdir $(NOTEBOOKS)); do \
		../$(BIN)/jupyter nbconvert --to notebook --execute --inplace $$nb || exit 1; done

eval: $(STAMP)
	@echo "== dev set ($(SHARED)/devset; the rules were developed on it) =="
	$(BIN)/opinions evaluate $(SHARED)/devset --json data/evaluation/devset.json
	@echo "== our own annotations of corpus articles (tests/gold/corpus; see its README for which were tuned on) =="
	$(BIN)/opinions evaluate tests/gold/corpus --articles $(SHARED)/corpus
	@echo "== PolNeAR train ($(SHARED)/polnear-train; other conventions, for finding errors at scale) =="
	$(BIN)/python benchmarks/polnear_eval.py $(SHARED)/polnear-train
	@echo "== speaker chooser: cross-validated on our annotations (benchmarks/train_chooser.py --write rebuilds utils/extract/chooser.json) =="
	$(BIN)/python benchmarks/train_chooser.py --shared $(SHARED) --polnear
	@echo "== confidence: reliability of the row check, beside the chooser's probability (train_rowcheck.py --write rebuilds it) =="
	$(BIN)/python benchmarks/calibrate.py --shared $(SHARED)
	@echo "== learning from corrections: a user's model after N reviewed articles of one outlet (PolNeAR find) =="
	$(BIN)/python benchmarks/learning_curve.py $(SHARED)
	@echo "== stance suggestions: learning curves on tests/gold/stance, the bundled labels, the 2016 propositions =="
	$(BIN)/python benchmarks/stance_bench.py
	@echo "== people registry: B-cubed and cross-article merges on tests/gold/people (dev and test) =="
	$(BIN)/python benchmarks/registry_eval.py --shared $(SHARED)
	@echo "== opinions about: precision@20 and recall on tests/gold/propositions (dev and heldout) =="
	$(BIN)/python benchmarks/about_eval.py --polnear $(SHARED)/polnear-train
	@echo "== re-quotes: pairwise precision and recall on tests/gold/requotes =="
	$(BIN)/python benchmarks/requotes_eval.py $(SHARED)/polnear-train --finder utils.requotes:find_groups
	@echo "== review workbench: a fixed list of corrections replayed in JupyterLab, before and after =="
	$(BIN)/python benchmarks/review_replay.py --shared $(SHARED)

# Old and new in one run: this tree against AGAINST (a git revision; `make bench AGAINST=` times this tree only).
AGAINST ?= main
bench: $(STAMP)
	$(BIN)/python benchmarks/extract_bench.py $(SHARED)/corpus $(if $(AGAINST),--against $(AGAINST))

bench-report: $(STAMP)
	$(BIN)/python benchmarks/report_bench.py $(ARTICLE)

bench-corpus: $(STAMP)
	$(BIN)/python benchmarks/corpus_bench.py $(SHARED)/corpus

# The coverage at scale: the people registry and its questions, opinions about, re-quotes (10^4 to 10^6 statements).
bench-coverage: $(STAMP)
	$(BIN)/python benchmarks/coverage_bench.py
	$(BIN)/python benchmarks/about_bench.py
	$(BIN)/python benchmarks/requotes_bench.py

bench-review: $(STAMP)
	$(BIN)/python benchmarks/review_replay.py --shared $(SHARED) --show

fuzz: $(STAMP)
	$(BIN)/python benchmarks/fuzz_bench.py $(SHARED)

# JupyterLab refuses to start as root (Docker, Codespaces) unless told it is meant.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

clean:
	rm -rf reports test-artifacts .pytest_cache
