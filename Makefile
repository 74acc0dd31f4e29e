# deconvlab: `make lab` to work through the notebooks, `make test` to check everything.
# Only Python 3.10+ and make are needed: both targets create .venv themselves.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NOTEBOOK_SOURCES := $(sort $(wildcard notebooks/[0-9][0-9]_*.md))
NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
               --nbval-cell-timeout 300 -p no:cacheprovider

# Several BLAS threads on a 2-core machine make dense linear algebra ~10x slower
# (oversubscription); every test, notebook run and benchmark uses one thread.
export OMP_NUM_THREADS = 1
export OPENBLAS_NUM_THREADS = 1
export MKL_NUM_THREADS = 1

# The perturbation run: every notebook again, with np.exp moved by a few ulps (tools/perturb_exp.py,
# an IPython startup file in a throw-away IPYTHONDIR), against the same stored outputs.
PERTURB_DIR := $(abspath build/perturbed-ipython)
# make test-seeds: every notebook's Checks must hold for these seeds too (the stored outputs use seed 0).
SEEDS ?= 1,2,3

.PHONY: help venv lab test unit-tests notebooks test-perturbed test-seeds test-browser bench bench-barcodes mutation clean

help:
	@echo "make lab          set up .venv and open JupyterLab on notebooks/"
	@echo "make test         set up .venv; ruff, notebook pairs, every notebook (nbval), unit tests and doctests"
	@echo "make test-perturbed  run every notebook with np.exp perturbed by a few ulps; outputs must not change"
	@echo "make test-seeds   run every notebook with seeds $(SEEDS); every Check must hold"
	@echo "make notebooks    re-execute every notebooks/NN_*.md and write its .ipynb"
	@echo "make test-browser open every notebook in JupyterLab in Chromium, run it, move each explorer"
	@echo "make bench        speed and quality benchmarks (not part of make test)"
	@echo "make bench-barcodes  bar-code decode rates and margins for notebook 08 (about 35 min; writes notebooks/data/)"
	@echo "make mutation     mutation testing of the computing modules with mutmut (about 30 min; not part of make test)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test]"
	$(BIN)/python tools/lab_settings.py
	touch $(STAMP)

venv: $(STAMP)

# Jupyter refuses to start as root (containers, CI images) unless told to; a normal user is unaffected.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(ALLOW_ROOT)

test: $(STAMP)
	$(BIN)/ruff check deconvlab tests tools benchmarks
	$(BIN)/ruff format --check deconvlab tests tools benchmarks
	$(BIN)/python -m pytest -q tests/test_notebook_pairs.py
	$(BIN)/python -m pytest -q $(NBVAL_FLAGS) notebooks
	$(BIN)/python -m pytest -q tests
	$(BIN)/python -m pytest -q --doctest-modules deconvlab

test-perturbed: $(STAMP)
	rm -rf $(PERTURB_DIR) && mkdir -p $(PERTURB_DIR)/profile_default/startup
	cp tools/perturb_exp.py $(PERTURB_DIR)/profile_default/startup/00-perturb-exp.py
	IPYTHONDIR=$(PERTURB_DIR) $(BIN)/python -m pytest -q $(NBVAL_FLAGS) notebooks

test-seeds: $(STAMP)
	$(BIN)/python tools/notebook_tools.py seeds $(SEEDS) $(NOTEBOOK_SOURCES)

notebooks: $(STAMP)
	$(BIN)/python tools/notebook_tools.py execute $(NOTEBOOK_SOURCES)
	$(BIN)/python tools/notebook_tools.py thumbnails $(NOTEBOOK_SOURCES)

# Drives Debian's Chromium (/usr/bin/chromium; CHROMIUM=... for another) through Playwright against a real JupyterLab.
test-browser: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[browser]"
	$(BIN)/python -c "import matplotlib.pyplot"  # build matplotlib's font cache before the kernels need it
	$(BIN)/python tools/browser_check.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Notebook 08 plots what this writes (notebooks/data/barcode_*.csv); the decoder's timing runs first, alone.
bench-barcodes: $(STAMP)
	$(BIN)/python benchmarks/barcodes.py timing
	$(BIN)/python benchmarks/barcodes.py methods & methods=$$!; \
	$(BIN)/python benchmarks/barcodes.py decoder; decoder=$$?; wait $$methods && test $$decoder -eq 0
	$(BIN)/python benchmarks/barcodes.py margins

clean:
	rm -rf $(VENV) build *.egg-info

# Mutation testing ([tool.mutmut] in pyproject.toml): mutants/ holds the run; `mutmut browse` to read it.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[mutation]"
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results
