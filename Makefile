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

.PHONY: help venv lab test unit-tests notebooks test-perturbed test-seeds test-browser site test-site test-binder bench bench-barcodes bench-photos mutation clean

help:
	@echo "make lab          set up .venv and open JupyterLab on notebooks/"
	@echo "make test         set up .venv; ruff, notebook pairs, every notebook (nbval), unit tests and doctests"
	@echo "make test-perturbed  run every notebook with np.exp perturbed by a few ulps; outputs must not change"
	@echo "make test-seeds   run every notebook with seeds $(SEEDS); every Check must hold"
	@echo "make notebooks    re-execute every notebooks/NN_*.md and write its .ipynb"
	@echo "make test-browser open every notebook in JupyterLab in Chromium, run it, move each explorer"
	@echo "make site         the static HTML book of every notebook (stored outputs) and the API reference: build/site/"
	@echo "make test-site    open every page of build/site in Chromium: errors, equations, figures, links, buttons, axe-core"
	@echo "make test-binder  build what Binder builds (environment.yml, postBuild) in a fresh venv, run a notebook in it"
	@echo "make bench        speed and quality benchmarks (not part of make test)"
	@echo "make bench-barcodes  bar-code decode rates and margins for notebook 08 (about 35 min; writes notebooks/data/)"
	@echo "make bench-photos the shipped bar-code photos read by decode_ean13_photo and zxing-cpp (writes notebooks/data/photo_reads.csv)"
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

# The website. Its sources are staged in build/site-src: site/*.md and the stored notebooks
# (notebooks/*.ipynb with their outputs; never the .md sources, never executed). MathJax and
# axe-core come from npm (versions pinned here) into build/node_modules; MathJax is served by the
# site itself (build/site/_static/mathjax), so equations render offline. Sphinx warnings are errors.
MATHJAX_VERSION := 3.2.2
AXE_CORE_VERSION := 4.14.1
SITE_SRC    := build/site-src
SITE_STATIC := build/site-static
SITE_OUT    := build/site
NPM_STAMP   := build/node_modules/.deconvlab-$(MATHJAX_VERSION)-$(AXE_CORE_VERSION)

$(NPM_STAMP):
	mkdir -p build
	npm install --prefix build --no-save --no-audit --no-fund --no-package-lock \
	    mathjax@$(MATHJAX_VERSION) axe-core@$(AXE_CORE_VERSION) > /dev/null
	touch $@

site: $(STAMP) $(NPM_STAMP)
	$(BIN)/python -m pip install --quiet -e ".[site]"
	rm -rf $(SITE_SRC) $(SITE_STATIC) $(SITE_OUT) build/site-doctrees && mkdir -p $(SITE_SRC)/notebooks $(SITE_STATIC)/mathjax
	cp -p site/*.md $(SITE_SRC)/
	cp -p notebooks/[0-9][0-9]_*.ipynb $(SITE_SRC)/notebooks/
	cd build/node_modules/mathjax/es5 && cp -r tex-chtml.js input output ui a11y sre $(abspath $(SITE_STATIC))/mathjax/
	DECONVLAB_SITE_STATIC=$(abspath $(SITE_STATIC)) $(BIN)/sphinx-build -W --keep-going -q -b html -c site \
	    -d build/site-doctrees $(SITE_SRC) $(SITE_OUT)
	@echo "site built: $(SITE_OUT)/index.html (serve it: $(BIN)/python -m http.server -d $(SITE_OUT))"

# Serves build/site on loopback and opens every page in Chromium (as make test-browser does).
test-site: site
	$(BIN)/python tools/site_check.py $(SITE_OUT) build/node_modules/axe-core/axe.min.js

# What Binder builds, as closely as a machine without conda-forge or Docker allows.
test-binder: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[binder]"
	$(BIN)/python tools/binder_check.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Notebook 08 plots what this writes (notebooks/data/barcode_*.csv); the decoder's timing runs first, alone.
bench-barcodes: $(STAMP)
	$(BIN)/python benchmarks/barcodes.py timing
	$(BIN)/python benchmarks/barcodes.py methods & methods=$$!; \
	$(BIN)/python benchmarks/barcodes.py decoder; decoder=$$?; wait $$methods && test $$decoder -eq 0
	$(BIN)/python benchmarks/barcodes.py margins

# The photo notebook reads what this writes (notebooks/data/photo_reads.csv); about 5 minutes.
bench-photos: $(STAMP)
	$(BIN)/python benchmarks/photos.py

clean:
	rm -rf $(VENV) build *.egg-info

# Mutation testing ([tool.mutmut] in pyproject.toml): mutants/ holds the run; `mutmut browse` to read it.
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[mutation]"
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results
