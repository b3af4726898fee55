#!/usr/bin/env bash
# Installs what the two-site lab needs on Debian 12. The lab plugin owns the installer and runs it itself before it
# provisions a site; this wrapper runs the same file from the source tree, so there is one copy.
#
#   scripts/install-lab-prerequisites.sh [--check]     --check: only report what is missing (exit 1 if anything)
set -euo pipefail
exec bash "$(dirname "${BASH_SOURCE[0]}")/../plugin-lab/src/main/resources/io/livcloud/plugin/lab/install-lab-prerequisites.sh" "$@"
