# One entry point for builds, tests, the demo and packaging. See README.md.
SHELL := /bin/bash
export CARGO_BUILD_JOBS ?= 2
export CARGO_TARGET_DIR := $(CURDIR)/target
CARGO := cargo
RELEASE := $(CARGO_TARGET_DIR)/release
PREFIX ?= /usr/local
RUN_SUITE := scripts/run-suite.sh

# Every suite of `make test`, in order. Each is a make target named test-<suite>.
SUITES := rust rust-rustcrypto lint bench-smoke cli
SUITES += plugin-lint plugin
# Groups of scripts/install-deps.sh that `make test` needs (suites add theirs).
TEST_DEPS :=
TEST_DEPS += php phptools

.PHONY: demo build test bench fmt clippy deps clean dist $(addprefix test-,$(SUITES))

build:
	$(CARGO) build --release --workspace

deps:
	@scripts/install-deps.sh

test:
	@[ -z "$(strip $(TEST_DEPS))" ] || scripts/install-deps.sh $(TEST_DEPS)
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

test-cli:
	$(CARGO) test --release -p mypos-ipc-cli

test-bench-smoke:
	$(CARGO) bench -p mypos-ipc --bench crypto -- --test

bench:
	$(CARGO) bench -p mypos-ipc --bench crypto
	python3 scripts/bench-report.py

# WooCommerce plug-in. MYPOS_IPC_EXT: the mypos_ipc extension the plug-in tests load.
MYPOS_IPC_EXT ?= $(RELEASE)/libmypos_ipc.so

test-plugin-lint:
	scripts/plugin-lint.sh

test-plugin:
	@[ -f "$(MYPOS_IPC_EXT)" ] || { echo "test-plugin: extension not found at $(MYPOS_IPC_EXT) (set MYPOS_IPC_EXT)" >&2; exit 1; }
	cd woocommerce-plugin && MYPOS_IPC_EXT=$(abspath $(MYPOS_IPC_EXT)) IPC_BIN=$(RELEASE)/ipc \
	  php -d extension=$(abspath $(MYPOS_IPC_EXT)) /usr/bin/phpunit --do-not-cache-result

dist:
	scripts/plugin-dist.sh

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf dist

demo:
	@echo "make demo: the demo shop needs the sandbox, the PHP extension and the plug-in, which are not merged yet." >&2
	@exit 1
