#!/usr/bin/env bash
# Builds the release programs and the tarball that buildspecs/install.sh installs:
#
#   scripts/release.sh     writes target/dist/ecs-deploy-kit-<arch>-linux.tar.gz and
#                          its .sha256 (the programs are in target/dist/bin), prints the
#                          tarball's path on stdout
#
# The programs are linked statically (glibc's own `crt-static`) and at a fixed address
# (`relocation-model=static`): a build runs each of them a handful of times per step, and
# loading shared libraries and applying the 30,000 relocations the AWS SDK brings took about
# as long as the work itself (benches/compare.sh). Name lookups need no shared NSS module:
# glibc (2.34 and later) has the `files` and `dns` services built in, which is what /etc/hosts
# and the VPC resolver take; the end-to-end tests reach the local endpoint by name with these
# programs. What is given up is address-space
# randomization of the programs' own code (heap, stack and mappings are still randomized).
#
# `--target` is given so that the flags reach only the programs, not build scripts and
# procedural macros, which cannot be linked statically.
#
# The eight programs ship as one file (the `multicall` feature, src/multicall/main.rs) under
# eight names, hard links that tar stores once: one copy of the AWS SDK instead of eight, and
# one link step instead of eight (docs/performance.md, "One program").
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd -- "$root"
say() { printf 'release.sh: %s\n' "$*" >&2; }

programs=(ecs-imagedefs ecs-taskdef ecs-appspec ecs-tagcheck ecs-bundle ecs-verify ecs-pipeline ecs-scaling)
triple=$(rustc -vV | sed -n 's/^host: //p')
arch=${triple%%-*}
# The version, and where cargo builds (CARGO_TARGET_DIR may move it).
read -r version target < <(cargo metadata --no-deps --format-version 1 --locked | python3 -c '
import json, sys
meta = json.load(sys.stdin)
print(next(p["version"] for p in meta["packages"] if p["name"] == "ecs-deploy-kit"), meta["target_directory"])')
[[ $triple == *-linux-gnu ]] || { say "error: release builds are made on Linux with glibc, not $triple"; exit 2; }

RUSTFLAGS="-C target-feature=+crt-static -C relocation-model=static" \
    cargo build --release --locked --target "$triple" --features multicall --bin=ecs-deploy-kit

dist=$root/target/dist
rm -rf -- "${dist:?}/bin"
mkdir -p -- "$dist/bin"
built=$target/$triple/release/ecs-deploy-kit
# A dynamic loader named in the program would mean the flags did not apply.
if readelf --program-headers "$built" | grep -q INTERP; then
    say "error: $built is dynamically linked"
    exit 2
fi
# Without the symbol table, a fifth of the file, read only by debuggers and symbolized
# backtraces (panic messages keep their text and source location). `strip` rather than the
# profile's `strip = true`, which cargo passes to every crate and so rebuilds them all.
strip --strip-all -o "$dist/bin/${programs[0]}" "$built"
for program in "${programs[@]}"; do
    [[ -e $dist/bin/$program ]] || ln -- "$dist/bin/${programs[0]}" "$dist/bin/$program"
    # Each name must start its own program, which says its name with its version.
    [[ $("$dist/bin/$program" --version) == "$program $version" ]] || {
        say "error: bin/$program does not start as $program"
        exit 2
    }
done

tarball=$dist/ecs-deploy-kit-$arch-linux.tar.gz
# Sorted names, fixed owner and time: the same programs give the same tarball.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$dist" -cf - bin | gzip -n -9 >"$tarball"
(cd -- "$dist" && sha256sum -- "$(basename -- "$tarball")" >"$tarball.sha256")
say "wrote $tarball (version $version, for s3://BUCKET/ecs-deploy-kit/$version/): sha256 $(cut -d' ' -f1 "$tarball.sha256")"
printf '%s\n' "$tarball"
