# Sourced by the other scripts: where the project's tools are.
# wasm-opt comes from npm's binaryen 132 (Debian's older one corrupts wasm-bindgen output), so
# its folder goes first in PATH for both our build and trunk.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tests/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMIUM="${CHROMIUM:-/usr/lib/chromium/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export FIREFOX="${FIREFOX:-/usr/lib/firefox-esr/firefox-esr}"
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' "$ROOT/Cargo.lock"
}
