#!/usr/bin/env bash
# Install everything scripts/setup.sh installs, without building (for CI steps).
PAMPHLETS_SETUP_ONLY=1 exec bash "$(dirname "$0")/setup.sh"
