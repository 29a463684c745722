# Liaison Desk. Quick start: `make run`, `make test`. Each installs what it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := run

export LEPTOS_OUTPUT_NAME := liaison-desk
export LEPTOS_SITE_PKG_DIR := pkg

RUN_DIR ?= data
PORT ?= 3000

.PHONY: run test lint unit e2e build-debug build-release bench tools clean

## run: build in release mode and serve on http://127.0.0.1:3000 with demo data (passwords printed)
run:
	@scripts/ensure-tools.sh --release
	scripts/build-site.sh --release
	@mkdir -p $(RUN_DIR)
	@if [ -f $(RUN_DIR)/demo-credentials.txt ]; then \
	  echo "==> Demo accounts (generated at first start) are in $(RUN_DIR)/demo-credentials.txt:"; cat $(RUN_DIR)/demo-credentials.txt; fi
	LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$(PORT) LEPTOS_ENV=PROD \
	DATABASE_URL=sqlite://$(RUN_DIR)/liaison-desk.db LD_DEMO_CREDENTIALS_FILE=$(RUN_DIR)/demo-credentials.txt \
	  target/release/liaison-desk serve --demo-data

## test: formatting and lints, unit, database and HTTP integration tests, then end-to-end tests in headless Chromium
test: lint unit e2e

## lint: rustfmt and clippy (warnings are errors) for the server build and the browser build
# `app` is built with the server's features (`--no-default-features`; `default` counts as a feature).
lint:
	@scripts/ensure-tools.sh
	cargo fmt --all --check
	cargo clippy -p app --no-default-features --features ssr --all-targets -- -D warnings
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p app --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

unit:
	@scripts/ensure-tools.sh --tests
	cargo test -p app --no-default-features --features ssr
	cargo test -p server

build-debug:
	@scripts/ensure-tools.sh --browser --tests
	scripts/build-site.sh

## build-release: the release binary and site, for deployment (docs/deploy.md)
build-release:
	@scripts/ensure-tools.sh --release
	scripts/build-site.sh --release

e2e: build-debug
	cd end2end && npx playwright test

## bench: release build, seed at scale, load over loopback with wrk; writes BENCHMARKS.md
## (smaller: BENCH_CASES=10000 BENCH_REQUESTS=100000 BENCH_AUDIT=500000 make bench)
bench:
	@scripts/ensure-tools.sh --release --browser
	scripts/build-site.sh --release
	bench/run.sh

tools:
	@scripts/ensure-tools.sh --release --browser

clean:
	cargo clean
	rm -rf end2end/.data end2end/test-results
