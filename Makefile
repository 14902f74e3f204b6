# forestock: `make test` runs every test in every language on a fresh machine.
# Needs only cargo, python3 (with venv/pip) and node >= 18 with npm: everything else is set up here,
# idempotently (a second run skips what is up to date).
# One shared target dir, one profile (release) and one explicit target triple for every build
# (cargo test, maturin, napi): napi always passes `--target`, and a build with an explicit target
# does not share artifacts with one without, so all three name the host triple. The dependencies and
# the core then compile once for the whole suite, which keeps a cold `make test` short on 2 cores.
SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(CURDIR)/target
CARGO ?= cargo
HOST_TRIPLE := $(shell rustc -vV | sed -n 's/^host: //p')
export CARGO_BUILD_TARGET ?= $(HOST_TRIPLE)
PYTHON ?= python3
NPM ?= npm

VENV := $(CURDIR)/.venv
VENV_PY := $(VENV)/bin/python
PY_DEPS := "maturin>=1.9.4,<2" numpy pandas pytest hypothesis ruff polars scipy "dask[dataframe,distributed]"
NODE_DIR := bindings-node
STAMPS := $(CARGO_TARGET_DIR)/.forestock-stamps

# Sources that the two native extensions are built from.
CORE_SOURCES := $(shell find core/src -name '*.rs') core/Cargo.toml Cargo.toml Cargo.lock
PY_SOURCES := $(CORE_SOURCES) $(shell find bindings-python/src -name '*.rs') bindings-python/Cargo.toml bindings-python/pyproject.toml
NODE_SOURCES := $(CORE_SOURCES) $(shell find $(NODE_DIR)/src -name '*.rs') $(NODE_DIR)/Cargo.toml $(NODE_DIR)/build.rs

.PHONY: wheel publish-check lint test test-rust test-python test-node test-report chromium python-env python-ext node-env node-addon demo bench bench-compare bench-overhead fuzz

test: test-rust test-python test-node test-report

# Style and lint, run by .ci/run before the tests: rustfmt (rustfmt.toml), clippy on every target
# with warnings as errors, rustdoc of the published core with warnings as errors (broken or
# ambiguous intra-doc links), ruff on the Python package, tests and scripts (ruff.toml). The
# TypeScript declarations are type-checked by a test of `make test-node` (tsc --noEmit on typed usage).
PY_LINT_PATHS := bindings-python/python bindings-python/tests benches/scripts examples/python
lint: python-env
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p forestock --no-deps
	$(VENV)/bin/ruff check $(PY_LINT_PATHS)

# The Node crate's unit tests link without Node (napi resolves its symbols at load time); the
# Python crate's cannot link without libpython, its behaviour is covered by pytest. Tests run on the
# release build, the build that ships and that the bindings load.
test-rust:
	$(CARGO) test --release --workspace --exclude forestock-python

# ---- Python: .venv with the test dependencies, extension built in release by maturin ----------
$(VENV)/.deps-stamp: Makefile
	test -x $(VENV_PY) || $(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check $(PY_DEPS)
	touch $@

$(STAMPS)/python-ext: $(VENV)/.deps-stamp $(PY_SOURCES)
	mkdir -p $(STAMPS)
	cd bindings-python && VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH" maturin develop --release --quiet
	touch $@

python-env: $(VENV)/.deps-stamp
python-ext: $(STAMPS)/python-ext

test-python: python-ext
	cd bindings-python && $(VENV_PY) -m pytest -q tests

# ---- Node: npm install from the committed lock file, addon built in release by napi ------------------
$(NODE_DIR)/node_modules/.deps-stamp: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && $(NPM) install --no-audit --no-fund --loglevel=error
	touch $@

$(STAMPS)/node-addon: $(NODE_DIR)/node_modules/.deps-stamp $(NODE_SOURCES)
	mkdir -p $(STAMPS)
	cd $(NODE_DIR) && ./node_modules/.bin/napi build --platform --release
	touch $@

node-env: $(NODE_DIR)/node_modules/.deps-stamp
node-addon: $(STAMPS)/node-addon

test-node: node-addon
	cd $(NODE_DIR) && node --test __test__/
	cd $(NODE_DIR) && NPM=$(NPM) scripts/other_node_versions.sh $(CARGO_TARGET_DIR)/node-versions

demo:
	$(CARGO) run --release --example daily_plan

# ---- The job's report in a real browser: Debian's chromium driven by playwright-core -------------
# `test-report` plans a small demo catalogue (and a CSV one with a failure) with forestock-plan, opens
# each report.html in headless Chromium and checks that it renders, sorts, filters and logs no error
# (cli/browser-test/report.test.js). Chromium comes from apt (installed once, when missing);
# playwright-core from the committed lock file (npm ci), without a browser download of its own.
CHROMIUM ?= /usr/bin/chromium
REPORT_TEST_DIR := cli/browser-test
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then APT="apt-get"; else APT="sudo apt-get"; fi; \
	  $$APT update -qq && DEBIAN_FRONTEND=noninteractive $$APT install -y -qq chromium; }

$(REPORT_TEST_DIR)/node_modules/.deps-stamp: $(REPORT_TEST_DIR)/package.json $(REPORT_TEST_DIR)/package-lock.json
	cd $(REPORT_TEST_DIR) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

test-report: chromium $(REPORT_TEST_DIR)/node_modules/.deps-stamp
	$(CARGO) build --release -p forestock-cli --bin forestock-plan
	cd $(REPORT_TEST_DIR) && CHROMIUM=$(CHROMIUM) \
	  FORESTOCK_PLAN=$(CARGO_TARGET_DIR)/$(CARGO_BUILD_TARGET)/release/forestock-plan node --test report.test.js

# ---- Packages a user installs without Rust -----------------------------------------------------
# An abi3 wheel (CPython 3.10+, the manylinux tag maturin's audit gives) and an sdist of the Python
# package, in $(WHEEL_DIR); bindings-python/tests/test_pip_install.py installs the wheel with cargo
# off the PATH. The per-platform npm packages are made and installed by
# bindings-node/__test__/pack.test.js; `publish-check` packages and builds the core crate as
# crates.io would.
WHEEL_DIR := $(CARGO_TARGET_DIR)/wheels
wheel: python-env
	rm -f $(WHEEL_DIR)/forestock-*
	cd bindings-python && VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH" maturin build --release --sdist --quiet --out $(WHEEL_DIR)

publish-check:
	$(CARGO) publish --dry-run -p forestock

# Long property run (not part of `make test`, which runs the same harness with proptest's default
# case count): every model on arbitrary f64 input and the ModelSpec JSON parser must never panic
# (docs/reliability.md). Runs FUZZ_SECONDS after the build; the case count is large enough that the
# timeout ends the run (timeout signals the whole process group: cargo and the test binary).
FUZZ_SECONDS ?= 600
fuzz:
	$(CARGO) test --release -p forestock --test fuzz_models --no-run
	PROPTEST_CASES=100000000 timeout --preserve-status $(FUZZ_SECONDS) $(CARGO) test --release -p forestock --test fuzz_models || test $$? -eq 143

# ---- Benchmarks (not part of `make test`; figures go to docs/benchmarks.md) ----------------------
bench:
	$(CARGO) bench -p forestock-benches

bench-compare: python-ext
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check statsforecast
	$(VENV_PY) benches/scripts/compare_statsforecast.py

# Same 10,000 series through Rust, Python (fs.forecast on a frame) and Node (forecastBatch).
bench-overhead: python-ext node-addon
	$(CARGO) build --release -p forestock-benches --bin batch_timing
	$(VENV_PY) benches/scripts/binding_overhead.py
