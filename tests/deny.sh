#!/usr/bin/env bash
# Supply-chain checks of the dependency tree against deny.toml: licenses, bans (refused
# crates, duplicate versions) and sources always; advisories (RustSec) when the advisory
# database can be had. It lives in a git repository on GitHub, which a build without internet
# access cannot clone, and cargo-deny has no advisory check without it (`--offline` with no
# database fails), so the script says which checks ran.
#
#   tests/deny.sh                  advisories if the database can be fetched, else skipped
#   DENY_ADVISORIES=1 tests/deny.sh   advisories required: fail when they cannot run
#
# The database is cached in ~/.cargo/advisory-dbs; a CI cache of that folder keeps advisories
# running on builds that are offline.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Pinned so that a new cargo-deny release cannot change what passes. Installing it from
# source takes about 3.5 CPU-minutes (2 minutes on 2 cores); cache ~/.cargo/bin in CI.
version=0.20.2
if [[ "$(cargo deny --version 2>/dev/null || true)" != "cargo-deny $version" ]]; then
  echo "installing cargo-deny $version"
  cargo install --locked cargo-deny --version "$version"
fi

echo "cargo deny check licenses bans sources"
cargo deny --locked check licenses bans sources

ran="licenses bans sources"
if cargo deny fetch db >/dev/null 2>&1; then
  echo "cargo deny check advisories (database fetched)"
  cargo deny --frozen check advisories
  ran="$ran advisories"
elif [[ -n "$(find "${CARGO_HOME:-$HOME/.cargo}/advisory-dbs" -mindepth 2 -maxdepth 2 -name .git 2>/dev/null)" ]]; then
  echo "cargo deny check advisories (the database could not be fetched; using the cached copy)"
  cargo deny --frozen check advisories
  ran="$ran advisories(cached)"
elif [[ -n "${DENY_ADVISORIES:-}" ]]; then
  echo "error: DENY_ADVISORIES is set, but the advisory database cannot be fetched from github.com and none is cached" >&2
  exit 1
else
  echo "skipped: cargo deny check advisories (the advisory database cannot be fetched from github.com and none is cached)"
fi
echo "ran: $ran"
