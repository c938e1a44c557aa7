# SSLMem toolkit. `make demo` and `make test` work on a fresh Debian machine with Swift 6.0 or later:
# both install the missing system libraries first (as root, or through sudo).
SWIFT    ?= swift
PYTHON   ?= python3
PREFIX   ?= $(HOME)/.local
SSLMEM   := .build/release/sslmem
PKGS     := hdf5-serial gsl cairo libdeflate openblas liblzf
APT_PKGS := libhdf5-dev libgsl-dev libcairo2-dev libopenblas-dev libdeflate-dev liblzf-dev pkg-config fonts-dejavu-core
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The demo reports carry this fixed date (2026-01-01), so `make demo` renders the committed bytes on any commit.
DEMO_EPOCH := 1767225600
DEMO       := SOURCE_DATE_EPOCH=$(DEMO_EPOCH) $(SSLMEM)
# What `make bench` writes to bench-data/ (synthetic pairs), in GB, checked against the free space first.
BENCH_GB   := 7

.PHONY: swift-check deps build install demo test fuzz bench bench-large check-html clean

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

build: deps
	$(SWIFT) build -c release --product sslmem

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
	@$(DEMO) report --compare reports/demo/simclr reports/demo/vicreg --names SimCLR,VICReg \
	  --removal fixtures/removal_example.csv \
	  --title "SimCLR vs VICReg on Fashion-MNIST (fixtures; removal numbers illustrative)" --out reports/demo/comparison
	@$(DEMO) report --sweep epoch \
	  fixtures/checkpoints/simclr_f_epoch008.h5,fixtures/checkpoints/simclr_g_epoch008.h5 \
	  fixtures/checkpoints/simclr_f_epoch026.h5,fixtures/checkpoints/simclr_g_epoch026.h5 \
	  fixtures/checkpoints/simclr_f_epoch053.h5,fixtures/checkpoints/simclr_g_epoch053.h5 \
	  fixtures/simclr_f.h5,fixtures/simclr_g.h5 \
	  --title "SimCLR memorization over training epochs (fixtures)" --out reports/demo/sweep_epoch

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	bash scripts/cli_checks.sh .build/debug/sslmem
	bash scripts/data_safety_check.sh .build/debug/sslmem
	bash scripts/usability_check.sh .build/debug/sslmem
	bash scripts/readme_check.sh .build/debug/sslmem
	bash scripts/cluster_check.sh .build/debug/sslmem
	.build/debug/sslmem-fuzz .build/debug/sslmem --count 100

# 1,000 damaged copies of the fixtures through inspect and score: no crash, no hang, one error line.
fuzz: build
	$(SWIFT) build -c release --product sslmem-fuzz
	.build/release/sslmem-fuzz $(SSLMEM) --count 1000

# Benchmarks against the numpy baseline on synthetic pairs (bench/README.md).
bench: build
	@echo "make bench writes synthetic dumps to $(CURDIR)/bench-data (about 6.1 GB; kept for later runs, delete the"
	@echo "folder to free the space) and, when python3 lacks numpy/h5py/scipy, a virtual environment in .venv-bench"
	@echo "(pip needs the package index)."
	@[ -d bench-data ] || { free=$$(df -Pk . | awk 'NR==2 {print int($$4 / 1048576)}'); \
	  [ "$$free" -ge $(BENCH_GB) ] || { echo "only $$free GB free here; make bench needs about $(BENCH_GB) GB"; exit 1; }; }
	$(SWIFT) build -c release --product sslmem-bench
	bash bench/run.sh

# Flat memory on a synthetic pair of over 10 GB (written to bench-data/big on first use).
bench-large: build
	cd bench && $(PYTHON) large.py --sslmem ../$(SSLMEM) --data ../bench-data

# Opens the demo reports in headless Chromium: screenshots, printed PDF, console check.
check-html: demo
	bash scripts/check_html.sh

clean:
	rm -rf .build
