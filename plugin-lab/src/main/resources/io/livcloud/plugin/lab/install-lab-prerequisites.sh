#!/usr/bin/env bash
# Installs what the two-site lab needs on Debian 12, saying what it installs: libvirt 9.0 and strongSwan from bookworm,
# QEMU 10 from bookworm-backports (bookworm's QEMU 7.2 corrupts TCG guests that write memory during live migration),
# busybox and the tools that build the lab guest, tcpdump to see what crosses the lab's WAN (ESP, not plain
# traffic), OpenSSH's sshd, which each lab site runs in host-access = ssh (and the cloud plugins' SSH test in a
# namespace of its own), and python3, the relay of a TCP stream into a site in namespace mode (and that test's socket
# listeners).
# Idempotent: installs only what is missing.
# Nothing is started through the init system: the lab starts each site's libvirtd, charon and sshd itself. While apt
# runs, a policy-rc.d that forbids every start (exit 101) is in place, unless the machine has one of its own; and when
# this installs openssh-server, /etc/ssh/sshd_not_to_be_run keeps the system's own sshd from starting at boot too
# (Debian's ssh service and init script honour it; remove it to run that sshd).
# Needs root.
#
# The lab plugin ships this file and runs it before it provisions a site (setting install-prerequisites);
# scripts/install-lab-prerequisites.sh in the source tree runs this same file.
#
#   install-lab-prerequisites.sh [--check]     --check: only report what is missing (exit 1 if anything)
set -euo pipefail

readonly BASE_PACKAGES=(
    libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients libvirt0
    strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins
    busybox-static cpio iperf3 iputils-ping iproute2 util-linux kmod
    gcc libc6-dev gcc-multilib
    tcpdump openssh-server python3-minimal
)
readonly BACKPORTS_PACKAGES=(qemu-system-x86 qemu-utils)
readonly MINIMUM_QEMU_MAJOR=9

missing=()
for package in "${BASE_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
qemu_major=$( (qemu-system-x86_64 --version 2>/dev/null || true) | sed -n 's/^QEMU emulator version \([0-9]*\).*/\1/p')
need_qemu=0
if [[ -z $qemu_major || $qemu_major -lt $MINIMUM_QEMU_MAJOR ]]; then
    need_qemu=1
fi

if [[ ${1:-} == --check ]]; then
    [[ ${#missing[@]} -eq 0 && $need_qemu -eq 0 ]] && exit 0
    echo "missing: ${missing[*]:-}${need_qemu:+ }$([[ $need_qemu -eq 1 ]] && echo "QEMU >= $MINIMUM_QEMU_MAJOR (found ${qemu_major:-none})")"
    exit 1
fi

if [[ ${#missing[@]} -eq 0 && $need_qemu -eq 0 ]]; then
    exit 0
fi
if ((EUID != 0)); then
    echo "install-lab-prerequisites: run as root to install: ${missing[*]:-} $([[ $need_qemu -eq 1 ]] && echo qemu-system-x86 from bookworm-backports)" >&2
    exit 1
fi

if [[ $need_qemu -eq 1 ]] && ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # Reuse the mirror this machine already uses: it is the one that can be reached.
    mirror=$(sed -n 's/^URIs: *\(.*debian\/*\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
    mirror=${mirror:-http://deb.debian.org/debian}
    echo "install-lab-prerequisites: adding the bookworm-backports suite from $mirror (for QEMU >= $MINIMUM_QEMU_MAJOR)"
    cat > /etc/apt/sources.list.d/livcloud-backports.sources <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi

readonly POLICY=/usr/sbin/policy-rc.d
if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\n# Written by the LivCloud lab installer while apt runs: start no service.\nexit 101\n' > "$POLICY"
    chmod 0755 "$POLICY"
    trap 'rm -f "$POLICY"' EXIT
fi
installs_sshd=0
for package in "${missing[@]}"; do
    if [[ $package == openssh-server ]]; then
        installs_sshd=1
    fi
done

echo "install-lab-prerequisites: installing ${missing[*]:-}$([[ $need_qemu -eq 1 ]] && echo " ${BACKPORTS_PACKAGES[*]} (bookworm-backports)")"
apt-get update -q
export DEBIAN_FRONTEND=noninteractive
if [[ ${#missing[@]} -gt 0 ]]; then
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [[ $need_qemu -eq 1 ]]; then
    apt-get install -y -q --no-install-recommends -t bookworm-backports "${BACKPORTS_PACKAGES[@]}"
fi
if [[ $installs_sshd -eq 1 ]]; then
    touch /etc/ssh/sshd_not_to_be_run
    echo "install-lab-prerequisites: the system's own sshd stays stopped (/etc/ssh/sshd_not_to_be_run); the lab runs one per site"
fi
