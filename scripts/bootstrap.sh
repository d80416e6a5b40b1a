#!/usr/bin/env bash
# Installs what building Herald needs, once: the wasm32 target, cargo-leptos (built from
# crates.io with downloads disabled), wasm-bindgen-cli at the version in Cargo.lock, and
# wasm-opt from npm's binaryen. With `--test`, also the browser-test tools: Debian's chromium
# and the end2end npm packages. Every step checks first and skips what is already there,
# so a second run takes seconds.
#
# Source it (`. scripts/bootstrap.sh [--test]`) to get the tools on PATH in your shell.
set -euo pipefail

HERALD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERALD_TOOLS_DIR="${HERALD_TOOLS_DIR:-$HOME/.cache/herald/tools}"
CARGO_LEPTOS_VERSION="0.3.11"
BINARYEN_VERSION="132.0.0"
export PATH="$HOME/.cargo/bin:$HERALD_TOOLS_DIR/node_modules/.bin:$PATH"

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail "installing Debian packages needs root; run: apt-get install -y $*"
  fi
}

apt_install() {
  step "Installing Debian packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v cargo >/dev/null || fail "cargo is missing; install Rust with rustup first (https://rustup.rs)."
command -v cc >/dev/null || apt_install build-essential
command -v npm >/dev/null || apt_install nodejs npm

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos: its published lockfile pins two crates that now need rustc 1.96+
# (cargo-util-schemas 0.14.2, kstring 2.0.5 when re-resolved). Build it from the crates.io
# source with those two held at releases that support our toolchain.
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  step "Building cargo-leptos $CARGO_LEPTOS_VERSION from crates.io (about 15 minutes, once)"
  work="$(mktemp -d)"
  mkdir -p "$work/locator/src"
  printf '[package]\nname = "locate-cargo-leptos"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\ncargo-leptos = "=%s"\n' \
    "$CARGO_LEPTOS_VERSION" > "$work/locator/Cargo.toml"
  touch "$work/locator/src/lib.rs"
  manifest="$(cd "$work/locator" && cargo metadata --format-version 1 2>/dev/null \
    | grep -o "\"manifest_path\":\"[^\"]*cargo-leptos-$CARGO_LEPTOS_VERSION/Cargo.toml\"" \
    | head -n 1 | sed 's/.*":"//; s/"$//')"
  [ -n "$manifest" ] || fail "could not fetch the cargo-leptos $CARGO_LEPTOS_VERSION source from crates.io."
  cp -r "$(dirname "$manifest")" "$work/cargo-leptos"
  (
    cd "$work/cargo-leptos"
    cargo update -q -p cargo-util-schemas --precise 0.14.0
    cargo update -q -p kstring --precise 2.0.2
    cargo install --quiet --path . --locked --features no_downloads
  )
  rm -rf "$work"
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version="$(grep -A1 '^name = "wasm-bindgen"$' "$HERALD_ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p')"
[ -n "$wasm_bindgen_version" ] || fail "Cargo.lock names no wasm-bindgen version."
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wasm_bindgen_version" ]; then
  step "Installing wasm-bindgen-cli $wasm_bindgen_version (about 3 minutes, once)"
  CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo install --quiet --force wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

# wasm-opt from npm's binaryen: Debian's binaryen 108 emits wasm that breaks hydration.
if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "${BINARYEN_VERSION%%.*}" ]; then
  step "Installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
  mkdir -p "$HERALD_TOOLS_DIR"
  npm install --silent --no-audit --no-fund --prefix "$HERALD_TOOLS_DIR" "binaryen@$BINARYEN_VERSION" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium chromium-driver
  fi
  if ! command -v setpriv >/dev/null; then
    apt_install util-linux
  fi
  if [ ! -d "$HERALD_ROOT/end2end/node_modules/playwright-core" ] \
     || [ "$HERALD_ROOT/end2end/package-lock.json" -nt "$HERALD_ROOT/end2end/node_modules/.package-lock.json" ]; then
    step "Installing the end-to-end test packages (npm ci)"
    (cd "$HERALD_ROOT/end2end" && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
fi
