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
    cargo build --release --locked --target "$triple" "${programs[@]/#/--bin=}"

dist=$root/target/dist
rm -rf -- "${dist:?}/bin"
mkdir -p -- "$dist/bin"
for program in "${programs[@]}"; do
    built=$target/$triple/release/$program
    # A dynamic loader named in the program would mean the flags did not apply.
    if readelf --program-headers "$built" | grep -q INTERP; then
        say "error: $program is dynamically linked"
        exit 2
    fi
    cp -- "$built" "$dist/bin/$program"
    "$dist/bin/$program" --version >/dev/null
done

tarball=$dist/ecs-deploy-kit-$arch-linux.tar.gz
# Sorted names, fixed owner and time: the same programs give the same tarball.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$dist" -cf - bin | gzip -n -9 >"$tarball"
(cd -- "$dist" && sha256sum -- "$(basename -- "$tarball")" >"$tarball.sha256")
say "wrote $tarball (version $version, for s3://BUCKET/ecs-deploy-kit/$version/): sha256 $(cut -d' ' -f1 "$tarball.sha256")"
printf '%s\n' "$tarball"
