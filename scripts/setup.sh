#!/usr/bin/env bash
# Set everything up on a Debian machine (Debian 12 or newer) and build the whole site:
#   - the Debian packages in scripts/debian-packages.txt (skip with PAMPHLETS_NO_APT=1, e.g.
#     in the container, whose image has them);
#   - the default CMYK colour profile (print/icc/, made with ArgyllCMS);
#   - a virtual environment .venv/ with this project (editable) and its test tools: nothing
#     is installed into the system Python (Debian marks it externally managed, PEP 668);
#   - axe-core, for the accessibility tests (into .venv/node/);
#   - then `pamphlets build`, which writes site/ (skip with PAMPHLETS_SETUP_ONLY=1).
# Run it as root, or as a user who may use sudo (for apt-get only).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${PAMPHLETS_NO_APT:-}" != "1" ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  mapfile -t packages < <(grep -v -e '^#' -e '^$' scripts/debian-packages.txt)
  if command -v npm >/dev/null 2>&1; then
    # A Node.js with its own npm is installed already (e.g. from NodeSource): Debian's npm
    # package would conflict with it.
    mapfile -t packages < <(printf '%s\n' "${packages[@]}" | grep -v -x -e nodejs -e npm)
  fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

# The default CMYK profile for the print PDFs' output intent: FOGRA39 (ISO Coated v2, the
# usual request of offset shops here), made with ArgyllCMS from the FOGRA characterisation
# data that Debian ships freely in icc-profiles-free. A print shop's own profile can be set
# instead (plugins.pamphlets.pdf.icc_profile in mkdocs.yml).
profile=print/icc/FOGRA39L_coated.icc
if [ ! -s "$profile" ]; then
  work=$(mktemp -d)
  cp /usr/share/color/icc/FOGRA39L.ti3 "$work/"
  colprof -qm -D "FOGRA39L coated (from FOGRA39L.ti3)" \
    -C "Made with ArgyllCMS from the FOGRA39 characterisation data" \
    -O "$work/FOGRA39L_coated.icc" "$work/FOGRA39L" >/dev/null
  mkdir -p "$(dirname "$profile")"
  mv "$work/FOGRA39L_coated.icc" "$profile"
  rm -rf "$work"
fi

# The project and its Python packages, in .venv/ (PYTHON=... picks another interpreter).
if [ ! -x .venv/bin/python ]; then
  "${PYTHON:-python3}" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
# The package's bytecode, as pip writes it for a regular install: an editable one leaves it
# to the first run, which never writes it where PYTHONDONTWRITEBYTECODE is set, and then
# every command compiles the package again (0.05 s of a 2 s one-edit rebuild).
.venv/bin/python -m compileall -q scripts/pamphlet_press

# axe-core, for the accessibility tests in a real Chromium (from the npm registry).
if command -v npm >/dev/null 2>&1 && [ ! -f .venv/node/node_modules/axe-core/axe.min.js ]; then
  npm install --prefix .venv/node axe-core@4 --no-audit --no-fund --silent >/dev/null
fi

if [ "${PAMPHLETS_SETUP_ONLY:-}" = "1" ]; then exit 0; fi

.venv/bin/pamphlets build
