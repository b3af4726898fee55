#!/usr/bin/env bash
# The main job: a live migration of a running VM between two sites on this machine, through an IPsec tunnel.
#
#   sudo scripts/demo.sh
#
# Installs what it needs (a JDK 17 and Maven; libvirt, strongSwan, QEMU 10 from bookworm-backports, busybox — saying
# what), builds LivCloud (tests skipped: scripts/test.sh runs them), then runs `livcloud demo --down`: it brings the
# lab's sites a and b up (two network namespaces, one libvirtd each) and the IPsec tunnel between them, boots the lab
# guest at a (a Debian kernel and a workload that dirties 64 MiB at 10 MiB/s and prints a heartbeat every 100 ms),
# migrates it live to b through the tunnel with the journaled engine (live progress, report), shows from the guest's
# own heartbeat that it kept running, prints the figures and the report's path, and takes the lab down again.
# Re-running it works.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly WORK=/tmp/livcloud-demo

say() {
    printf '\ndemo: %s\n' "$*"
}

if ((EUID != 0)); then
    echo "scripts/demo.sh: run as root (sudo scripts/demo.sh): the lab creates network namespaces and libvirtds" >&2
    exit 1
fi

# shellcheck source=scripts/lib/build-tools.sh
source scripts/lib/build-tools.sh
ensure_build_tools scripts/demo.sh
scripts/install-lab-prerequisites.sh

say "building LivCloud (mvn package, tests skipped)"
mvn -B -ntp -q package -DskipTests
livcloud=(distribution/target/livcloud-*/bin/livcloud)

mkdir -p "$WORK"
cat > "$WORK/livcloud.conf" <<CONF
livcloud {
  migration { hypervisor = kvm, tunnel = strongswan }
  sites { a { provider = lab }, b { provider = lab } }
  extensions.provider.lab.directory = "$WORK/lab"
}
CONF

say "livcloud demo: two lab sites, the IPsec tunnel, the lab guest at a, a live migration to b through the tunnel"
"${livcloud[0]}" --config "$WORK/livcloud.conf" --state-dir "$WORK/state" demo --down
