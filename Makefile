# One entry point for builds, tests, the demo and packaging. See README.md.
SHELL := /bin/bash
export CARGO_BUILD_JOBS ?= 2
export CARGO_TARGET_DIR := $(CURDIR)/target
CARGO := cargo
RELEASE := $(CARGO_TARGET_DIR)/release
PREFIX ?= /usr/local
RUN_SUITE := scripts/run-suite.sh

# Every suite of `make test`, in order. Each is a make target named test-<suite>.
SUITES := rust rust-rustcrypto lint bench-smoke fuzz-smoke

.PHONY: build test bench fmt clippy deps clean fuzz $(addprefix test-,$(SUITES))

build:
	$(CARGO) build --release --workspace

deps:
	@scripts/install-deps.sh

test:
	@scripts/install-deps.sh
	@rm -f target/test-logs/counts
	@$(MAKE) --no-print-directory build
	@for s in $(SUITES); do $(RUN_SUITE) $$s $(MAKE) --no-print-directory test-$$s; done
	@scripts/summary.sh

test-rust:
	$(CARGO) test --release -p mypos-ipc

test-rust-rustcrypto:
	$(CARGO) test --release -p mypos-ipc --no-default-features --features rustcrypto,capi

test-lint:
	$(CARGO) fmt --all --check && echo "ok 1 - cargo fmt"
	$(CARGO) clippy --release --workspace --all-targets -- -D warnings && echo "ok 2 - cargo clippy"

test-bench-smoke:
	$(CARGO) bench -p mypos-ipc --bench crypto -- --test

# Fuzz targets (fuzz/README.md): 4 s each in `make test`, FUZZ_SECONDS (default 60) each here.
FUZZ_SECONDS ?= 60
test-fuzz-smoke:
	FUZZ_SECONDS=4 fuzz/run.sh

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

bench:
	$(CARGO) bench -p mypos-ipc --bench crypto
	scripts/openssl-speed.sh

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf dist
