# Sourced by scripts/test.sh and scripts/demo.sh: makes sure a JDK 17 (with javac) and Maven are there, installing
# them with apt-get when run as root, else saying which command to run. Call ensure_build_tools NAME.

readonly BUILD_TOOL_PACKAGES=(openjdk-17-jdk-headless maven)
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

# Exits with a message when the tools are missing and cannot be installed.
ensure_build_tools() {
    local caller=$1 missing
    missing=$(missing_tools)
    if [[ -n $missing ]]; then
        if ((EUID != 0)); then
            echo "$caller: $missing. Install a JDK 17 and Maven with:" >&2
            echo "  sudo apt-get update && sudo apt-get install -y ${BUILD_TOOL_PACKAGES[*]}" >&2
            exit 1
        fi
        echo "$caller: $missing; installing ${BUILD_TOOL_PACKAGES[*]} with apt-get." >&2
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${BUILD_TOOL_PACKAGES[@]}"
        missing=$(missing_tools)
        if [[ -n $missing ]]; then
            echo "$caller: after installing ${BUILD_TOOL_PACKAGES[*]}: $missing; check PATH, and JAVA_HOME if it is set" >&2
            exit 1
        fi
    fi
}
