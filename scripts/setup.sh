#!/usr/bin/env bash
# Set everything up on a fresh Debian machine and build the whole site:
#   - the Debian packages the build and the tests need (Chromium for browser tests, Pango for
#     WeasyPrint, fonts that cover Azerbaijani Latin, Cyrillic and Persian, poppler and qpdf
#     to check PDFs, a free CMYK profile);
#   - this project and its Python dependencies (editable, with the test tools);
#   - then `pamphlets build`, which writes site/.
# Run it as root, or as a user who may use sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends \
  chromium \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
  fonts-noto-core fonts-dejavu-core \
  poppler-utils qpdf zbar-tools icc-profiles-free argyll \
  >/dev/null

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

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

# axe-core, for the accessibility tests in a real Chromium (from the npm registry).
if ! command -v npm >/dev/null 2>&1; then
  $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
if command -v npm >/dev/null 2>&1 && [ ! -f .cache/npm/node_modules/axe-core/axe.min.js ]; then
  npm install --prefix .cache/npm axe-core@4 --no-audit --no-fund --silent >/dev/null
fi

# `scripts/setup-only.sh` stops here (CI runners that build in steps of their own).
if [ "${PAMPHLETS_SETUP_ONLY:-}" = "1" ]; then exit 0; fi

pamphlets build
