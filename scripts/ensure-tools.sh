#!/usr/bin/env bash
# Installs what building Liaison Desk needs, each only if missing, saying what it does.
# Usage: scripts/ensure-tools.sh [--release] [--browser]
#   --release  also wasm-opt and esbuild from npm (scripts/site) for release builds (Debian's binaryen 108 makes a
#              wasm that fails to hydrate; the npm package is binaryen 132, run by Node.js)
#   --browser  also Debian's chromium and the end-to-end test packages (npm)
#   --tests    also Debian's poppler-utils (pdftotext: the report tests read the PDF as a reader would) and the
#              Python test tools in .venv-tests (a real TAXII client for the TAXII tests)
set -euo pipefail
cd "$(dirname "$0")/.."

want_release=0; want_browser=0; want_tests=0
for a in "$@"; do
  case "$a" in --release) want_release=1 ;; --browser) want_browser=1 ;; --tests) want_tests=1 ;; esac
done
say() { printf '==> %s\n' "$*"; }

# The wasm-bindgen CLI must match the library version pinned in Cargo.toml / Cargo.lock.
WASM_BINDGEN_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p' | head -1)
WASM_BINDGEN_VERSION=${WASM_BINDGEN_VERSION:-0.2.130}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "Adding the Rust component $component"
    rustup component add "$component"
  fi
done

if ! command -v wasm-bindgen >/dev/null 2>&1 || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
  # Not --locked: one of its locked dependencies is no longer on the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ "$want_release" = 1 ]; then
  if [ ! -x scripts/site/node_modules/.bin/wasm-opt ] || [ scripts/site/package-lock.json -nt scripts/site/node_modules/.package-lock.json ]; then
    say "Installing wasm-opt (binaryen 132, under Node.js) and esbuild for release builds (npm ci in scripts/site, seconds)"
    (cd scripts/site && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

if [ "$want_tests" = 1 ] && ! command -v pdftotext >/dev/null 2>&1; then
  say "Installing Debian's poppler-utils (pdftotext) for the PDF report tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq poppler-utils >/dev/null
fi

# Python test tools (the OASIS TAXII client and stix2 library) in a virtual environment of the project's own,
# never system-wide; made again when the pinned list changes.
if [ "$want_tests" = 1 ] && { [ ! -x .venv-tests/bin/python ] || [ scripts/test-requirements.txt -nt .venv-tests/.installed ]; }; then
  say "Installing the Python test tools (scripts/test-requirements.txt) into .venv-tests"
  python3 -m venv .venv-tests
  .venv-tests/bin/pip install --quiet --disable-pip-version-check -r scripts/test-requirements.txt
  touch .venv-tests/.installed
fi

if [ "$want_browser" = 1 ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    say "Installing Debian's chromium for the end-to-end tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "Installing the end-to-end test packages (npm ci; Playwright uses Debian's chromium, no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
