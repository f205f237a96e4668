# One entry point for builds, tests, the demo and packaging. See README.md.
SHELL := /bin/bash
export CARGO_BUILD_JOBS ?= 2
export CARGO_TARGET_DIR := $(CURDIR)/target
CARGO := cargo
RELEASE := $(CARGO_TARGET_DIR)/release
PREFIX ?= /usr/local
RUN_SUITE := scripts/run-suite.sh
# Suites keep logs in $(MYPOS_TEST_ARTIFACTS)/<suite>/logs and keys made at test time in
# .../<suite>/keys, for the secrets suite to scan.
export MYPOS_TEST_ARTIFACTS := $(CURDIR)/target/test-artifacts
VERSION := $(shell sed -n 's/^version = "\([0-9.]*\)"$$/\1/p' Cargo.toml | head -1)

# Every suite of `make test`, in order. Each is a make target named test-<suite>.
SUITES := rust rust-rustcrypto lint bench-smoke cli c header php php-valgrind readme self-contained fuzz-smoke
SUITES += plugin-lint plugin
SUITES += plugin-wp notify-fpm scale demo
SUITES += e2e load wc-e2e
# Installs the Debian packages of `make dist` system-wide, then purges them (tests/deb/run.sh).
SUITES += deb
SUITES += readme-commands
# Always run last (the loop in `test` puts it there): scans what every suite wrote for key material.
SUITES += secrets
# Groups of scripts/install-deps.sh that `make test` needs (suites add theirs).
TEST_DEPS := c cbindgen php phptools fuzz mariadb
TEST_DEPS += wordpress galera fpm
TEST_DEPS += browser load wc-e2e deb

.PHONY: demo build test bench bench-php bench-load fmt clippy deps clean header install install-lib fuzz dist $(addprefix test-,$(SUITES))

# PHP_CONFIG=/path/to/php-config builds the extension for that PHP (ext-php-rs reads PHP_CONFIG
# for the headers and PHP, here that php-config's --php-binary, for version and thread safety).
# Default: Debian's php8.2 (php-config and php on PATH).
ifdef PHP_CONFIG
export PHP_CONFIG
PHP ?= $(shell $(PHP_CONFIG) --php-binary)
export PHP
endif

# Everything, with one feature set for the core (the PHP extension needs php8.2-dev). The
# extension is also copied to target/ext/ under the name of the PHP it fits
# (mypos_ipc-<version>-php<major.minor>-<nts|zts>-<arch>.so).
build:
	@scripts/install-deps.sh php
	$(CARGO) build --release --workspace
	@scripts/ext-artifact.sh

deps:
	@scripts/install-deps.sh

test:
	@[ -z "$(strip $(TEST_DEPS))" ] || scripts/install-deps.sh $(TEST_DEPS)
	@rm -rf target/test-logs target/test-artifacts
	@$(MAKE) --no-print-directory build
	@for s in $(filter-out secrets,$(SUITES)) $(filter secrets,$(SUITES)); do $(RUN_SUITE) $$s $(MAKE) --no-print-directory test-$$s; done
	@scripts/summary.sh

# Every command README.md shows is run by a suite or here (tests/readme-commands.tsv).
test-readme-commands:
	python3 tests/readme-commands.py

test-deb:
	@scripts/install-deps.sh deb c
	tests/deb/run.sh

test-secrets:
	python3 scripts/secrets-scan.py

test-readme:
	tests/readme-snippets.sh

# No tracked file refers outside the repository (tests/data/README.md, README Contributing).
test-self-contained:
	python3 tests/self-contained.py

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
	$(CARGO) bench -p mypos-ipc --bench crypto -- --test && echo "ok 1 - every benchmark runs once (criterion --test)"

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

BENCH_PHP_SECONDS ?= 1
bench-php:
	$(CARGO) build --release --workspace
	php -n -d extension=$(PHP_EXT) php-ext/bench/bench.php $(BENCH_PHP_SECONDS)

# Fuzz targets (fuzz/README.md): 4 s each in `make test`, FUZZ_SECONDS (default 60) each here.
FUZZ_SECONDS ?= 60
test-fuzz-smoke:
	FUZZ_SECONDS=4 fuzz/run.sh

fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh

# BENCH_ARGS go to criterion, OPENSSL_SECONDS to `openssl speed` (a quick run: see
# tests/readme-commands.tsv).
OPENSSL_SECONDS ?= 3
bench:
	$(CARGO) bench -p mypos-ipc --bench crypto -- $(BENCH_ARGS)
	OPENSSL_SECONDS=$(OPENSSL_SECONDS) python3 scripts/bench-report.py

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

# Scale-out (tests/scale/run.sh): paid exactly once with several web servers on one MariaDB, on a
# three-node Galera cluster (one node stopped under load) and on a primary with a replica behind
# a read/write-splitting db.php; throughput and p99 as a ratio to the one-server baseline.
test-scale:
	@scripts/install-deps.sh wordpress galera
	tests/scale/run.sh $(abspath $(MYPOS_IPC_EXT)) $(RELEASE)/ipc

# The notify answer before slow mail: the plug-in on WordPress under php8.2-fpm + nginx (loopback).
test-notify-fpm:
	@scripts/install-deps.sh fpm
	tests/notify-fpm/run.sh $(abspath $(MYPOS_IPC_EXT)) $(RELEASE)/ipc

# Optional: the plug-in in a real WordPress + WooCommerce store (tests/wc-e2e/store.sh) in headless
# Chromium; skipped unless WP_SRC and WC_SRC name local checkouts of the snapshots (README, Contributing).
# WCS_SRC (WooCommerce Subscriptions) adds the subscription section (s).
test-wc-e2e:
	@[ -z "$$WP_SRC" ] || [ -z "$$WC_SRC" ] || scripts/install-deps.sh wc-e2e browser
	tests/wc-e2e/run.sh $(abspath $(MYPOS_IPC_EXT)) $(RELEASE)/ipc

# dist/: plug-in zip, extension artifacts + MANIFEST.tsv, libipc tarball, Debian packages
# (php8.2-mypos-ipc, libipc0, libipc-dev; scripts/deb.sh), SHA256SUMS.
dist: build
	@scripts/install-deps.sh dist deb
	scripts/dist.sh

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf dist

# The demo shop and local sandbox (demo/README.md). SERVE=1 keeps both running until Ctrl-C;
# MYPOS=test: the shop alone against the real myPOS test endpoint (PUBLIC_URL=https://... for
# the return URLs; never run in CI).
demo:
	@scripts/install-deps.sh dist
	scripts/plugin-dist.sh
	SERVE=$(SERVE) MYPOS=$(MYPOS) PUBLIC_URL=$(PUBLIC_URL) demo/run.sh

# Exactly what the README's `make demo` does (the build is already up to date here).
test-demo:
	$(MAKE) --no-print-directory demo

# Headless chromium in the demo shop (tests/e2e/): through the sandbox, then the MYPOS=test
# wiring with its request to myPOS aborted. Screenshots in target/e2e/.
test-e2e:
	@scripts/install-deps.sh browser
	@rm -rf $(CARGO_TARGET_DIR)/e2e
	@rc=0; SKIP_BUILD=1 demo/run.sh node tests/e2e/shop.js || rc=1; \
	  SKIP_BUILD=1 MYPOS=test PUBLIC_URL=https://shop.example.invalid demo/run.sh node tests/e2e/mypos-test.js || rc=1; \
	  exit $$rc

# Load on the notify endpoints (tests/load/run.sh): demo shop and plug-in on WordPress, against a
# plain-PHP verifier in the same run. make test: 5 s per phase; bench-load: LOAD_SECONDS (20)
# per phase, the extension and plain PHP taking turns 4 times, and the figures as a table in
# target/bench-load.md, then the median time to OK with 3 s mail as a ratio to instant mail
# (tests/notify-fpm/run.sh, NOTIFY_FPM_BENCH notifies of each kind).
test-load:
	@scripts/install-deps.sh load wordpress
	LOAD_SECONDS=5 tests/load/run.sh $(abspath $(MYPOS_IPC_EXT)) $(RELEASE)/ipc

LOAD_SECONDS ?= 20
LOAD_ROUNDS ?= 4
NOTIFY_FPM_BENCH ?= 15
bench-load:
	@scripts/install-deps.sh load wordpress fpm
	$(CARGO) build --release --workspace
	LOAD_SECONDS=$(LOAD_SECONDS) LOAD_ROUNDS=$(LOAD_ROUNDS) LOAD_TABLE=$(CARGO_TARGET_DIR)/bench-load.md tests/load/run.sh $(abspath $(MYPOS_IPC_EXT)) $(RELEASE)/ipc
	NOTIFY_FPM_BENCH=$(NOTIFY_FPM_BENCH) LOAD_TABLE=$(CARGO_TARGET_DIR)/bench-load.md tests/notify-fpm/run.sh $(abspath $(MYPOS_IPC_EXT)) $(RELEASE)/ipc
	@cat $(CARGO_TARGET_DIR)/bench-load.md
