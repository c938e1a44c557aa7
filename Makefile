# SSLMem toolkit. `make demo` and `make test` work on a fresh Debian machine with Swift 6.0 or later:
# both install the missing system libraries first (as root, or through sudo).
SWIFT    ?= swift
PYTHON   ?= python3
PREFIX   ?= $(HOME)/.local
SSLMEM   := .build/release/sslmem
# Release builds link the Swift runtime and Foundation statically: the installed binary needs no Swift
# libraries, and a command starts ~10 ms sooner (fewer shared objects to relocate). Every release build
# here uses the same flags, so they share one build.
RELEASE  := -c release -Xswiftc -static-stdlib
PKGS     := hdf5-serial gsl cairo libdeflate openblas liblzf
APT_PKGS := libhdf5-dev libgsl-dev libcairo2-dev libopenblas-dev libdeflate-dev liblzf-dev pkg-config fonts-dejavu-core
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# bash with pipefail: a build piped through `tee` into its log still fails the recipe when it fails.
SHELL       := /bin/bash
.SHELLFLAGS := -o pipefail -c
# The demo reports carry this fixed date (2026-01-01), so `make demo` renders the committed bytes on any commit.
DEMO_EPOCH := 1767225600
DEMO       := SOURCE_DATE_EPOCH=$(DEMO_EPOCH) $(SSLMEM)
# What `make bench` writes to bench-data/ (synthetic pairs), in GB, checked against the free space first.
BENCH_GB   := 4

.PHONY: swift-check deps browser-deps build install demo test lint format warnings test-unit test-cli test-browser test-backend docs fuzz bench bench-large check-html clean backend experiment study

# Training backend (backend/, Python): Debian's torch for /usr/bin/python3 (another python3 may
# come first on PATH), a venv that sees it, and sslmem_backend installed in editable mode.
SYS_PYTHON  := /usr/bin/python3
VENV        := .venv
# Headless Chromium for scripts/checks/browser_check.py (make test).
BROWSER_APT := chromium chromium-driver python3-selenium
BACKEND_APT := python3-torch python3-torchvision python3-h5py python3-venv python3-pytest dataset-fashion-mnist
# make experiment OUT=DIR [DEVICE=cuda ARCH=resnet18 EPOCHS=…]
OUT    ?= experiment
DEVICE ?= cpu
ARCH   ?= small-cnn
EPOCHS ?= 150

# Swift 6.0 or later, with a way to get it when missing.
swift-check:
	@v=$$($(SWIFT) --version 2>/dev/null | sed -n 's/.*Swift version \([0-9]*\)\..*/\1/p' | head -1); \
	if [ -z "$$v" ] || [ "$$v" -lt 6 ]; then \
	  echo "sslmem needs Swift 6.0 or later ($(SWIFT) $${v:-not found}). Install it with swiftly"; \
	  echo "(curl -O https://download.swift.org/swiftly/linux/swiftly-\$$(uname -m).tar.gz, see https://www.swift.org/install/linux/)"; \
	  echo "or a toolchain tarball from https://www.swift.org/install/, then rerun make (or make SWIFT=/path/to/swift)."; \
	  exit 1; fi

deps: swift-check
	@{ pkg-config --exists $(PKGS) 2>/dev/null && [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; } || { \
	  echo "installing $(APT_PKGS)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PKGS) >/dev/null; }
	@# pdflatex for LaTeXTablesTests (every table a report writes compiles); ~2 min, skipped when present.
	@command -v pdflatex >/dev/null || { echo "installing texlive-latex-recommended (pdflatex)"; \
	  { $(SUDO) apt-get update -qq; DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	  texlive-latex-base texlive-latex-recommended >/dev/null; } || echo "pdflatex not installed: LaTeX compile checks skipped"; }

# Headless Chromium, its driver and selenium for scripts/checks/browser_check.py (the interactive HTML report in a real
# browser), which only make test needs; about 1.3 min, skipped when present.
browser-deps:
	@{ command -v chromium >/dev/null && command -v chromedriver >/dev/null && $(SYS_PYTHON) -c "import selenium" 2>/dev/null; } || { \
	  echo "installing $(BROWSER_APT)"; $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	  --no-install-recommends $(BROWSER_APT) >/dev/null; }

build: deps
	$(SWIFT) build $(RELEASE) --product sslmem

# Puts sslmem on your PATH: $(PREFIX)/bin/sslmem (the report templates are inside the binary).
install: build
	install -d "$(PREFIX)/bin"
	install -m 755 $(SSLMEM) "$(PREFIX)/bin/sslmem"
	@echo "installed $(PREFIX)/bin/sslmem"
	@case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; \
	  *) echo "$(PREFIX)/bin is not on your PATH: add  export PATH=\"$(PREFIX)/bin:\$$PATH\"  to your shell's profile";; esac

demo: build
	@mkdir -p reports/demo
	@for m in simclr vicreg; do \
	  echo; echo "== $$m (fixtures/$${m}_f.h5 vs fixtures/$${m}_g.h5)"; \
	  $(DEMO) score --f fixtures/$${m}_f.h5 --g fixtures/$${m}_g.h5 --out reports/demo/$${m}_scores.csv || exit 1; \
	done
	@echo; echo "== reports"
	@$(DEMO) report --f fixtures/simclr_f.h5 --g fixtures/simclr_g.h5 --images fixtures/images.h5 \
	  --checkpoints fixtures/checkpoints --logs fixtures/log_simclr_f.json,fixtures/log_simclr_g.json \
	  --title "SimCLR on Fashion-MNIST (fixtures)" --out reports/demo/simclr
	@$(DEMO) report --f fixtures/vicreg_f.h5 --g fixtures/vicreg_g.h5 --images fixtures/images.h5 \
	  --title "VICReg on Fashion-MNIST (fixtures)" --out reports/demo/vicreg
	@$(DEMO) report --f fixtures/layers/f.h5 --g fixtures/layers/g.h5 \
	  --title "Where is it memorized? SimCLR small CNN on Fashion-MNIST (per-layer fixture)" --out reports/demo/layers
	@$(DEMO) report --compare reports/demo/simclr reports/demo/vicreg --names SimCLR,VICReg \
	  --removal fixtures/removal_example.csv \
	  --title "SimCLR vs VICReg on Fashion-MNIST (fixtures; removal numbers illustrative)" --out reports/demo/comparison
	@$(DEMO) report --sweep epoch \
	  fixtures/checkpoints/simclr_f_epoch008.h5,fixtures/checkpoints/simclr_g_epoch008.h5 \
	  fixtures/checkpoints/simclr_f_epoch026.h5,fixtures/checkpoints/simclr_g_epoch026.h5 \
	  fixtures/checkpoints/simclr_f_epoch053.h5,fixtures/checkpoints/simclr_g_epoch053.h5 \
	  fixtures/simclr_f.h5,fixtures/simclr_g.h5 \
	  --title "SimCLR memorization over training epochs (fixtures)" --out reports/demo/sweep_epoch

# The test layers, each runnable alone (every one installs what it needs first); `make test` runs them all, in
# this order, and is what CI runs (.ci/run):
#   lint          swift format (.swift-format) on the Swift tree, ruff and mypy on the backend
#   test-unit     the Swift unit suites on the debug build, and DocC with warnings as errors
#   test-cli      the command line on the release build users run (CLITests again, thread-count determinism,
#                 sharded bytes, data safety, usability, README blocks, cluster runs) and 100 fuzzed inputs
#   test-browser  the run report's interactive HTML in headless Chromium (~20 s)
#   test-backend  the training backend's pytest suite (runs the release sslmem when built, else the debug one)
test: deps backend browser-deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-unit
	$(MAKE) --no-print-directory test-cli
	$(MAKE) --no-print-directory test-browser
	$(MAKE) --no-print-directory test-backend

# Lint: the toolchain's swift-format with .swift-format (`swift format lint --strict`: a file that
# `make format` would change fails); ruff and mypy on the backend (configured in backend/pyproject.toml), pinned
# and installed into .venv from PyPI on first use (about 30 s); the version files agree with VERSION
# (scripts/version.sh). Swift warnings: the build itself, with zero (`make warnings`, run by test-unit and test-cli).
SWIFT_FORMAT_PATHS := Package.swift Sources Tests Examples
LINT_PIP := ruff==0.17.6 mypy==2.4.1
lint: swift-check backend
	$(SWIFT) format lint --strict --recursive --parallel $(SWIFT_FORMAT_PATHS)
	@$(VENV)/bin/ruff --version >/dev/null 2>&1 && $(VENV)/bin/mypy --version >/dev/null 2>&1 || \
	  $(VENV)/bin/pip install -q $(LINT_PIP)
	cd backend && ../$(VENV)/bin/ruff check src tests
	cd backend && ../$(VENV)/bin/mypy
	bash scripts/version.sh --check

# Rewrites the Swift tree in the house format (.swift-format); `make lint` checks it.
format: swift-check
	$(SWIFT) format format --in-place --recursive --parallel $(SWIFT_FORMAT_PATHS)

# ONLY=TARGET runs one test target (e.g. `make test-unit ONLY=SSLMemCoreTests`; one per library, SSLMemCLITests,
# SSLMemTests for the umbrella), and skips DocC.
# Zero compiler warnings (CONTRIBUTING.md): fails listing every `file:line:col: warning:` in the build logs that
# test-unit (debug, tests included) and test-cli (release) write while they build, so no extra build is run. A
# fresh clone (CI) compiles every file; locally an incremental build shows the warnings of the files it compiled.
WARNINGS_LOGS ?= .build/build-debug.log .build/build-release.log
warnings:
	@logs=$$(ls $(WARNINGS_LOGS) 2>/dev/null); [ -n "$$logs" ] || { echo "make warnings: no build log ($(WARNINGS_LOGS)); run make test-unit"; exit 1; }; \
	found=$$(grep -hE ':[0-9]+:[0-9]+: warning: ' $$logs | sort -u); \
	if [ -n "$$found" ]; then echo "$$found"; echo "make warnings: $$(echo "$$found" | wc -l) compiler warning(s) in $$logs"; exit 1; fi; \
	echo "make warnings: no compiler warnings in $$logs"

test-unit: deps
	@mkdir -p .build
	$(SWIFT) build --build-tests 2>&1 | tee .build/build-debug.log
	@$(MAKE) --no-print-directory warnings WARNINGS_LOGS=.build/build-debug.log
	$(SWIFT) test --skip-build $(if $(ONLY),--filter '^$(ONLY)\.')
	$(if $(ONLY),,$(MAKE) --no-print-directory docs)

# The CLI layer again on the release build, which is optimized differently; the fuzz driver runs the debug build,
# where assertions are on.
test-cli: deps
	@mkdir -p .build
	$(SWIFT) build --build-tests
	$(SWIFT) build $(RELEASE) --product sslmem 2>&1 | tee .build/build-release.log
	@$(MAKE) --no-print-directory warnings WARNINGS_LOGS=.build/build-release.log
	SSLMEM_BIN=.build/release/sslmem $(SWIFT) test --skip-build --filter '^SSLMemCLITests\.'
	bash scripts/checks/cli_checks.sh .build/release/sslmem
	bash scripts/checks/data_safety_check.sh .build/debug/sslmem
	bash scripts/checks/usability_check.sh .build/debug/sslmem
	bash scripts/checks/readme_check.sh .build/debug/sslmem
	bash scripts/checks/cluster_check.sh .build/debug/sslmem
	.build/debug/sslmem-fuzz .build/debug/sslmem --count 100

test-browser: deps browser-deps
	$(SWIFT) build $(RELEASE) --product sslmem
	$(SYS_PYTHON) scripts/checks/browser_check.py .build/release/sslmem

test-backend: backend
	SSLMEM=$$([ -x $(SSLMEM) ] && echo $(CURDIR)/$(SSLMEM) || echo $(CURDIR)/.build/debug/sslmem) \
	  $(VENV)/bin/python -m pytest -q backend/tests

# DocC for every library product (swift-docc-plugin), in one invocation on the debug build `make test` has just made:
# a broken symbol link, or any other documentation warning, is an error. Archives in .build/plugins/Swift-DocC/outputs.
DOC_TARGETS := SSLMemSupport SSLMemModel SSLMemHDF5 SSLMemIO SSLMemCore SSLMemStats SSLMemAnalysis SSLMemPlot SSLMemFigures SSLMemReport
docs: deps
	$(SWIFT) package generate-documentation $(addprefix --target ,$(DOC_TARGETS)) --warnings-as-errors

backend:
	@missing=$$(for p in $(BACKEND_APT); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi
	@[ -x $(VENV)/bin/python ] || $(SYS_PYTHON) -m venv --system-site-packages $(VENV)
	@# --no-build-isolation: build with Debian's setuptools; --no-deps: torch, torchvision, h5py and numpy
	@# (backend/pyproject.toml) come from apt above, so pip downloads nothing
	@$(VENV)/bin/python -c "import sslmem_backend" 2>/dev/null || \
	  $(VENV)/bin/pip install -q --no-build-isolation --no-deps -e backend
	@$(VENV)/bin/python -c "import torch, torchvision, h5py, numpy" || \
	  { echo "make backend: torch, torchvision, h5py or numpy does not import in $(VENV) (see backend/pyproject.toml)"; exit 1; }
	@$(VENV)/bin/sslmem-backend --help >/dev/null && echo "backend ready: $(VENV)/bin/sslmem-backend"

# Split, train f and g, dump (views, layers, Déjà Vu, checkpoints), score and report into $(OUT).
experiment: backend build
	$(VENV)/bin/sslmem-backend experiment --out $(OUT) --device $(DEVICE) --arch $(ARCH) --epochs $(EPOCHS) \
	  --sslmem $(SSLMEM)

# Methods × seeds and the removal experiment (README, "make study") into $(OUT) (default: study);
# resumable: the same command continues a stopped study. STUDY_ARGS passes more options, e.g.
# STUDY_ARGS="--methods simclr,vicreg --coreset true"; on a GPU: DEVICE=cuda ARCH=resnet18.
study: backend build
	$(VENV)/bin/sslmem-backend study --out $(if $(filter command line,$(origin OUT)),$(OUT),study) \
	  --device $(DEVICE) --arch $(ARCH) --sslmem $(SSLMEM) $(STUDY_ARGS)

# 1,000 damaged copies of the fixtures through inspect and score: no crash, no hang, one error line.
fuzz: build
	$(SWIFT) build $(RELEASE) --product sslmem-fuzz
	.build/release/sslmem-fuzz $(SSLMEM) --count 1000

# Benchmarks: one table of speed ratios against cat, numpy, scipy and faiss, measured in one run (bench/README.md).
bench: build
	@echo "make bench writes synthetic dumps to $(CURDIR)/bench-data (about 2.4 GB; kept for later runs, delete the"
	@echo "folder to free the space) and, when python3 lacks numpy/h5py/scipy, a virtual environment in .venv-bench"
	@echo "(pip needs the package index)."
	@[ -d bench-data ] || { free=$$(df -Pk . | awk 'NR==2 {print int($$4 / 1048576)}'); \
	  [ "$$free" -ge $(BENCH_GB) ] || { echo "only $$free GB free here; make bench needs about $(BENCH_GB) GB"; exit 1; }; }
	$(SWIFT) build $(RELEASE) --product sslmem-bench
	bash bench/run.sh

# Flat memory on a synthetic pair of over 10 GB (written to bench-data/big on first use).
bench-large: build
	cd bench && $(PYTHON) large.py --sslmem ../$(SSLMEM) --data ../bench-data

# Opens the demo reports in headless Chromium: screenshots, printed PDF, console check.
check-html: demo
	bash scripts/checks/check_html.sh

clean:
	rm -rf .build
