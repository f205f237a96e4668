# One entry point for builds, tests, the demo and packaging. See README.md.
SHELL := /bin/bash
export CARGO_BUILD_JOBS ?= 2
export CARGO_TARGET_DIR := $(CURDIR)/target
CARGO := cargo
RELEASE := $(CARGO_TARGET_DIR)/release
PREFIX ?= /usr/local
RUN_SUITE := scripts/run-suite.sh
VERSION := $(shell sed -n 's/^version = "\([0-9.]*\)"$$/\1/p' Cargo.toml | head -1)

# Every suite of `make test`, in order. Each is a make target named test-<suite>.
SUITES := rust rust-rustcrypto lint bench-smoke cli c header php php-valgrind readme fuzz-smoke
SUITES += plugin-lint plugin
SUITES += plugin-wp demo
SUITES += wc-e2e
# Groups of scripts/install-deps.sh that `make test` needs (suites add theirs).
TEST_DEPS := c cbindgen php phptools fuzz mariadb
TEST_DEPS += wordpress
TEST_DEPS += wc-e2e

.PHONY: demo build test bench bench-php fmt clippy deps clean header install install-lib fuzz dist $(addprefix test-,$(SUITES))

# Everything, with one feature set for the core (the PHP extension needs php8.2-dev).
build:
	@scripts/install-deps.sh php
	$(CARGO) build --release --workspace

deps:
	@scripts/install-deps.sh

test:
	@[ -z "$(strip $(TEST_DEPS))" ] || scripts/install-deps.sh $(TEST_DEPS)
	@rm -f target/test-logs/counts
	@$(MAKE) --no-print-directory build
	@for s in $(SUITES); do $(RUN_SUITE) $$s $(MAKE) --no-print-directory test-$$s; done
	@scripts/summary.sh

test-readme:
	tests/readme-snippets.sh

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

test-c:
	@scripts/install-deps.sh c
	tests/c/run.sh

test-header:
	@scripts/install-deps.sh cbindgen
	tests/c/header-check.sh

# Regenerates include/ipc.h (cbindgen 0.29.4, cbindgen.toml).
header:
	scripts/gen-header.sh include/ipc.h

# libipc.so (SONAME libipc.so.0), libipc.a, ipc.h and ipc.pc under $(PREFIX).
install: build install-lib

install-lib:
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 0755 $(RELEASE)/libipc.so $(DESTDIR)$(PREFIX)/lib/libipc.so.$(VERSION)
	ln -sf libipc.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libipc.so.0
	ln -sf libipc.so.0 $(DESTDIR)$(PREFIX)/lib/libipc.so
	install -m 0644 $(RELEASE)/libipc.a $(DESTDIR)$(PREFIX)/lib/libipc.a
	install -m 0644 include/ipc.h $(DESTDIR)$(PREFIX)/include/ipc.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' ipc.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ipc.pc

PHP_EXT := $(RELEASE)/libmypos_ipc.so

test-php:
	$(CARGO) build --release --workspace
	php-ext/tests/run.sh $(PHP_EXT)

test-php-valgrind:
	$(CARGO) build --release --workspace
	PHP_VALGRIND=1 php-ext/tests/run.sh $(PHP_EXT)

bench-php:
	$(CARGO) build --release --workspace
	php -n -d extension=$(PHP_EXT) php-ext/bench/bench.php

# Fuzz targets (fuzz/README.md): 4 s each in `make test`, FUZZ_SECONDS (default 60) each here.
FUZZ_SECONDS ?= 60
test-fuzz-smoke:
	FUZZ_SECONDS=4 fuzz/run.sh

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

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

# The plug-in in a real WordPress (Debian's package) + private MariaDB: concurrent notifications.
test-plugin-wp:
	@scripts/install-deps.sh wordpress
	tests/plugin-wp/run.sh $(abspath $(MYPOS_IPC_EXT)) $(RELEASE)/ipc

# Optional: the plug-in in a real WordPress + WooCommerce store (../shared/wc-e2e) in headless
# Chromium; skipped unless WP_SRC and WC_SRC name the snapshots (README, Contributing).
test-wc-e2e:
	@[ -z "$$WP_SRC" ] || [ -z "$$WC_SRC" ] || scripts/install-deps.sh wc-e2e browser
	tests/wc-e2e/run.sh $(abspath $(MYPOS_IPC_EXT)) $(RELEASE)/ipc

dist: build
	@scripts/install-deps.sh dist
	scripts/dist.sh

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf dist

# The demo shop and local sandbox (demo/README.md). SERVE=1 keeps both running until Ctrl-C;
# MYPOS=test (the real myPOS test endpoint) needs PUBLIC_URL and is documented only.
# The story on the local sandbox (SERVE=1 keeps the shop and sandbox running; see demo/README.md).
demo:
	@scripts/install-deps.sh dist
	scripts/plugin-dist.sh
	SERVE=$(SERVE) MYPOS=$(MYPOS) demo/run.sh

test-demo:
	SKIP_BUILD=1 demo/run.sh
