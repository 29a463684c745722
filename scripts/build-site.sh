#!/usr/bin/env bash
# Builds the server binary and the site (the islands' wasm, its JavaScript glue and the style sheet) with cargo,
# wasm-bindgen, and, for release, wasm-opt and esbuild from scripts/site's npm packages.
#
# Why not cargo-leptos: it needs a newer rustc than the stable one here, so a fresh machine spent ~13 min building
# it with the nightly toolchain, and ~7 more compiling a native wasm-opt; these steps are all it did for us (no
# watch mode, no file hashing, no wasm splitting). Output is what Leptos expects: target/site/pkg/liaison-desk.{js,wasm,css}.
#
# Usage: scripts/build-site.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."

release=0
[ "${1:-}" = "--release" ] && release=1
say() { printf '==> %s\n' "$*"; }

# Leptos reads the output name at compile time too (the hydration script's wasm name); every cargo command of
# this workspace must see the same value or cargo rebuilds everything (the Makefile exports it).
export LEPTOS_OUTPUT_NAME=${LEPTOS_OUTPUT_NAME:-liaison-desk}
export LEPTOS_SITE_PKG_DIR=${LEPTOS_SITE_PKG_DIR:-pkg}
name=$LEPTOS_OUTPUT_NAME
pkg=target/site/$LEPTOS_SITE_PKG_DIR
front=target/front

if [ "$release" = 1 ]; then
  server_profile=(--release); wasm_profile=wasm-release; wasm_dir=wasm-release
else
  server_profile=(); wasm_profile=dev; wasm_dir=debug
fi

say "Building the server ($([ "$release" = 1 ] && echo release || echo debug))"
cargo build -p server --bin liaison-desk "${server_profile[@]}"

say "Building the islands for the browser (wasm32, profile $wasm_profile)"
# A target dir of its own: the browser build's features would otherwise evict the server's artifacts. The
# cdylib is asked for here, not in app/Cargo.toml (why: there).
cargo rustc -p app --lib --crate-type cdylib --target wasm32-unknown-unknown --no-default-features --features hydrate \
  --profile "$wasm_profile" --target-dir "$front"

mkdir -p "$pkg/fonts"
# The Devanagari font the pages fall back on (style/main.css), the same files the PDF report embeds.
cp -u app/fonts/NotoSansDevanagari-Regular.ttf app/fonts/NotoSansDevanagari-Bold.ttf app/fonts/LICENSE-OFL.txt "$pkg/fonts/"
input="$front/wasm32-unknown-unknown/$wasm_dir/app.wasm"
# Nothing changed since the last build of this kind: the site stands (a warm `make run` starts in seconds).
stamp="$front/.site-built-$wasm_profile"
if [ -f "$stamp" ] && [ "$stamp" -nt "$input" ] && [ "$stamp" -nt style/main.css ] && [ "$stamp" -nt "$0" ]; then
  say "Site unchanged since its last $wasm_profile build"
  exit 0
fi
rm -f "$front"/.site-built-*
tmp=$(mktemp -d "$pkg/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

wasm-bindgen --target=web --no-typescript --out-name="$name" --out-dir="$tmp" "$input"
mv "$tmp/${name}_bg.wasm" "$tmp/$name.wasm"

if [ "$release" = 1 ]; then
  bin=scripts/site/node_modules/.bin
  say "Optimising the wasm for size (wasm-opt -Oz) and minifying the JavaScript and CSS (esbuild)"
  "$bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$tmp/$name.wasm" -o "$tmp/$name.wasm"
  "$bin/esbuild" "$tmp/$name.js" --minify --format=esm --log-level=warning --outfile="$tmp/$name.min.js"
  mv "$tmp/$name.min.js" "$tmp/$name.js"
  # Browsers as cargo-leptos' "defaults" query meant: the last two years of the evergreen ones.
  "$bin/esbuild" style/main.css --minify --target=chrome109,edge109,firefox115,safari15.6 --log-level=warning \
    --outfile="$tmp/$name.css"
else
  cp style/main.css "$tmp/$name.css"
fi

# Moved into place only once all three are built: a failed step leaves the previous site whole.
for f in "$name.wasm" "$name.js" "$name.css"; do mv -f "$tmp/$f" "$pkg/$f"; done
rm -f "$pkg/$name.d.ts" "$pkg/${name}_bg.wasm.d.ts"
touch "$stamp"
say "Site ready in target/site (server: target/$([ "$release" = 1 ] && echo release || echo debug)/liaison-desk)"
