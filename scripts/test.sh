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

readonly PACKAGES=(openjdk-17-jdk-headless maven)
# Maven runs the java of JAVA_HOME when it is set, else the one on the PATH; check that one.
readonly JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
readonly JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac

# Prints the major version of $JAVA (8 for 1.8.0_402), or nothing when there is no such java.
java_major_version() {
    local banner
    banner=$("$JAVA" -version 2>&1) || return 0
    if [[ $banner =~ version\ \"(1\.)?([0-9]+) ]]; then
        echo "${BASH_REMATCH[2]}"
    fi
}

# Prints what the build needs and does not find, separated by "; ", or nothing.
missing_tools() {
    local major problems=()
    major=$(java_major_version)
    if [[ -z $major ]]; then
        problems+=("no $JAVA")
    elif ((major < 17)); then
        problems+=("$JAVA is Java $major, the build needs 17 or later")
    elif ! command -v "$JAVAC" >/dev/null 2>&1; then
        problems+=("no $JAVAC: Java is there but not its compiler")
    fi
    command -v mvn >/dev/null 2>&1 || problems+=("no mvn")
    local joined
    printf -v joined '%s; ' "${problems[@]}"
    echo "${joined%; }"
}

missing=$(missing_tools)
if [[ -n $missing ]]; then
    if ((EUID != 0)); then
        echo "scripts/test.sh: $missing. Install a JDK 17 and Maven with:" >&2
        echo "  sudo apt-get update && sudo apt-get install -y ${PACKAGES[*]}" >&2
        exit 1
    fi
    echo "scripts/test.sh: $missing; installing ${PACKAGES[*]} with apt-get." >&2
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${PACKAGES[@]}"
    missing=$(missing_tools)
    if [[ -n $missing ]]; then
        echo "scripts/test.sh: after installing ${PACKAGES[*]}: $missing; check PATH, and JAVA_HOME if it is set" >&2
        exit 1
    fi
fi

if ((EUID == 0)); then
    scripts/install-lab-prerequisites.sh
else
    scripts/install-lab-prerequisites.sh --check >&2 || echo "scripts/test.sh: the lab tests need root and the packages above; run as root to install them" >&2
fi

exec mvn -B -ntp verify "$@"
