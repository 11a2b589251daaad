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
  poppler-utils qpdf icc-profiles-free \
  >/dev/null

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"

pamphlets build
