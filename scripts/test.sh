#!/usr/bin/env bash
# Builds LivCloud and runs all its tests, unit and integration: the one test command, also what CI runs.
#
#   scripts/test.sh [more mvn arguments, e.g. -o or -pl plugin-kvm -am]
#
# On a fresh Debian 12 machine it first installs a JDK 17 and Maven with apt-get, and what the lab's integration tests
# run on (libvirt, QEMU 10 from bookworm-backports, strongSwan, busybox; scripts/install-lab-prerequisites.sh), when
# run as root; otherwise it says which command to run. The lab tests need root; under CI=true a missing prerequisite
# fails them with a message.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=scripts/lib/build-tools.sh
source scripts/lib/build-tools.sh
ensure_build_tools scripts/test.sh

if ((EUID == 0)); then
    scripts/install-lab-prerequisites.sh
else
    scripts/install-lab-prerequisites.sh --check >&2 || echo "scripts/test.sh: the lab tests need root and the packages above; run as root to install them" >&2
fi

exec mvn -B -ntp verify "$@"
