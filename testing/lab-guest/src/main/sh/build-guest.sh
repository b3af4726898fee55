#!/usr/bin/env bash
# Builds the LivCloud lab guest from Debian packages: a kernel and an initramfs that QEMU boots directly.
#
#   build-guest.sh <x86_64|i686> <output-dir>     writes <output-dir>/vmlinuz, initramfs.gz and guest.properties
#   build-guest.sh --check <x86_64|i686>          prints the host packages that are missing (exit 1 if any)
#
# x86_64: Debian's cloud kernel for amd64 (linux-image-cloud-amd64); i686: the 686 kernel of the i386 architecture
# (linux-image-686). Both with busybox-static of the same architecture, the /init beside this script and workload.c
# beside it, compiled with gcc -static (-m32 for i686). The virtio driver modules (net, console, blk and the PCI
# transport) go into the initramfs with their dependencies when the kernel has them as modules.
#
# Packages are downloaded, never installed: apt runs with its own configuration and lists in a temporary directory,
# for the guest's architecture only, from the Debian sources of this machine (/etc/apt/sources.list.d/debian.sources,
# or LIVCLOUD_GUEST_APT_SOURCES naming a deb822 .sources file). Neither dpkg's architectures nor /boot are touched.
#
# Idempotent: when the output is complete and was built from the same inputs (this script, init, workload.c, the
# architecture), nothing is downloaded or built. The package versions are resolved on a build only: delete the output
# directory to take newer Debian packages. Concurrent runs for one output directory wait for each other (flock).
set -euo pipefail

SCRIPT_DIRECTORY=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIRECTORY
# workload.c is beside this script where the jar's resources are extracted, and in ../c in the source tree.
WORKLOAD_SOURCE=$SCRIPT_DIRECTORY/workload.c
[[ -f $WORKLOAD_SOURCE || ! -f $SCRIPT_DIRECTORY/../c/workload.c ]] || WORKLOAD_SOURCE=$SCRIPT_DIRECTORY/../c/workload.c
readonly WORKLOAD_SOURCE
readonly INPUTS=("$SCRIPT_DIRECTORY/build-guest.sh" "$SCRIPT_DIRECTORY/init" "$WORKLOAD_SOURCE")
# Module names (as in modules.builtin and modinfo), loaded in the guest with their dependencies.
readonly GUEST_MODULES=(virtio_pci virtio_net virtio_console virtio_blk)

say() {
    echo "build-guest: $*" >&2
}

fail() {
    say "$*"
    exit 1
}

usage() {
    fail "usage: build-guest.sh <x86_64|i686> <output-dir>   or   build-guest.sh --check <x86_64|i686>"
}

# Sets the per-architecture settings for $1.
select_architecture() {
    case $1 in
        x86_64)
            DEBIAN_ARCHITECTURE=amd64
            KERNEL_METAPACKAGE=linux-image-cloud-amd64
            GCC_MODE=-m64
            STATIC_LIBC=/usr/lib/x86_64-linux-gnu/libc.a
            STATIC_LIBC_PACKAGE=libc6-dev
            ELF_CLASS=2
            ;;
        i686)
            DEBIAN_ARCHITECTURE=i386
            KERNEL_METAPACKAGE=linux-image-686
            GCC_MODE=-m32
            STATIC_LIBC=/usr/lib32/libc.a
            STATIC_LIBC_PACKAGE="gcc-multilib (libc6-dev-i386)"
            ELF_CLASS=1
            ;;
        *)
            fail "unknown architecture '$1': expected x86_64 or i686"
            ;;
    esac
}

# Prints the host packages this build needs and does not find, one per line.
missing_packages() {
    local command package
    for command in apt-get:apt apt-cache:apt dpkg-deb:dpkg gcc:gcc cpio:cpio gzip:gzip sha256sum:coreutils \
        flock:util-linux modinfo:kmod; do
        package=${command#*:}
        command -v "${command%%:*}" >/dev/null 2>&1 || echo "$package (no ${command%%:*})"
    done
    [[ -f $STATIC_LIBC ]] || echo "$STATIC_LIBC_PACKAGE (no $STATIC_LIBC for gcc $GCC_MODE -static)"
    [[ -r /usr/share/keyrings/debian-archive-keyring.gpg ]] \
        || echo "debian-archive-keyring (no /usr/share/keyrings/debian-archive-keyring.gpg)"
}

inputs_checksum() {
    {
        echo "architecture=$ARCHITECTURE"
        sha256sum "${INPUTS[@]}" | cut -d' ' -f1
    } | sha256sum | cut -d' ' -f1
}

# Reads key $2 of the properties file $1.
property() {
    sed -n "s/^$2=//p" "$1" | head -n 1
}

# True when $OUTPUT holds a complete build of the current inputs.
output_is_current() {
    local properties=$OUTPUT/guest.properties
    [[ -f $properties && -f $OUTPUT/vmlinuz && -f $OUTPUT/initramfs.gz ]] || return 1
    [[ $(property "$properties" inputs.sha256) == "$INPUTS_CHECKSUM" ]] || return 1
    [[ $(property "$properties" vmlinuz.sha256) == "$(sha256sum < "$OUTPUT/vmlinuz" | cut -d' ' -f1)" ]] || return 1
    [[ $(property "$properties" initramfs.sha256) == "$(sha256sum < "$OUTPUT/initramfs.gz" | cut -d' ' -f1)" ]]
}

# Runs apt-get or apt-cache ($1) with the private configuration, for the guest's architecture.
private_apt() {
    local tool=$1
    shift
    "$tool" -q \
        -o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$WORK/apt/sources.list.d" \
        -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts="$WORK/apt/preferences.d" \
        -o Dir::State::Lists="$WORK/apt/lists" -o Dir::State::status="$WORK/apt/status" \
        -o Dir::Cache="$WORK/apt/cache" -o Debug::NoLocking=true \
        -o APT::Architecture="$DEBIAN_ARCHITECTURE" -o APT::Architectures::="$DEBIAN_ARCHITECTURE" \
        -o Acquire::Languages=none -o APT::Sandbox::User=root "$@"
}

prepare_private_apt() {
    local sources=${LIVCLOUD_GUEST_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}
    [[ -r $sources ]] || fail "no Debian apt sources at $sources (set LIVCLOUD_GUEST_APT_SOURCES to a deb822 .sources file)"
    mkdir -p "$WORK/apt/sources.list.d" "$WORK/apt/preferences.d" "$WORK/apt/lists/partial" \
        "$WORK/apt/cache/archives/partial"
    cp "$sources" "$WORK/apt/sources.list.d/debian.sources"
    touch "$WORK/apt/status"
    say "reading the $DEBIAN_ARCHITECTURE package lists from $sources"
    # A mirror in the middle of a sync fails one index now and then; what matters is that the packages resolve.
    if ! private_apt apt-get update > "$WORK/apt-update.log" 2>&1; then
        say "apt-get update reported errors (going on with the lists it got):"
        grep -E '^(E|W):' "$WORK/apt-update.log" | sed 's/^/  /' >&2 || true
    fi
}

# Prints field $2 of the candidate version of package $1.
package_field() {
    private_apt apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n "s/^$2: //p" | head -n 1
}

# Downloads package $1 into $WORK/debs and prints the file's path.
download_package() {
    local package=$1 version
    version=$(package_field "$package" Version)
    [[ -n $version ]] || fail "package $package ($DEBIAN_ARCHITECTURE) not found in the Debian package lists"
    say "downloading $package $version ($DEBIAN_ARCHITECTURE)"
    (cd "$WORK/debs" && private_apt apt-get download "$package=$version" > /dev/null) \
        || fail "cannot download $package $version ($DEBIAN_ARCHITECTURE)"
    local files=("$WORK/debs/${package}_"*"_$DEBIAN_ARCHITECTURE.deb")
    [[ -f ${files[0]} ]] || fail "apt-get download $package left no .deb in $WORK/debs"
    echo "${files[0]}"
}

# Appends module $1 to LOAD_ORDER after its dependencies, as a path relative to $MODULE_ROOT; nothing for a module
# built into the kernel or already there.
add_module() {
    local name=$1 file dependency
    [[ -z ${SEEN_MODULES[$name]:-} ]] || return 0
    SEEN_MODULES[$name]=1
    if grep -qE "/(${name}|${name//_/-})\.ko\$" "$MODULE_ROOT/modules.builtin"; then
        return 0
    fi
    file=$(find "$MODULE_ROOT/kernel" \( -name "$name.ko" -o -name "${name//_/-}.ko" \) | head -n 1)
    [[ -n $file ]] || fail "kernel $KERNEL_RELEASE has no module $name, neither built in nor as a .ko"
    for dependency in $(modinfo -F depends "$file" | tr ',' ' '); do
        add_module "$dependency"
    done
    LOAD_ORDER+=("${file#"$MODULE_ROOT"/}")
}

build() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/livcloud-guest-$ARCHITECTURE.XXXXXX")
    trap 'rm -rf "$WORK"' EXIT
    mkdir -p "$WORK/debs" "$WORK/kernel" "$WORK/busybox" "$WORK/root"
    prepare_private_apt

    local kernel_package kernel_deb busybox_deb
    kernel_package=$(package_field "$KERNEL_METAPACKAGE" Depends | grep -o 'linux-image-[^ ,]*' | head -n 1)
    [[ -n $kernel_package ]] || fail "cannot tell which kernel $KERNEL_METAPACKAGE ($DEBIAN_ARCHITECTURE) depends on"
    kernel_deb=$(download_package "$kernel_package")
    busybox_deb=$(download_package busybox-static)

    say "unpacking $(basename "$kernel_deb") and $(basename "$busybox_deb")"
    dpkg-deb -x "$kernel_deb" "$WORK/kernel"
    dpkg-deb -x "$busybox_deb" "$WORK/busybox"
    local kernels=("$WORK"/kernel/boot/vmlinuz-*) vmlinuz
    vmlinuz=${kernels[0]}
    [[ -f $vmlinuz ]] || fail "$(basename "$kernel_deb") has no boot/vmlinuz-*"
    KERNEL_RELEASE=${vmlinuz##*/vmlinuz-}
    MODULE_ROOT=$WORK/kernel/lib/modules/$KERNEL_RELEASE
    [[ -d $MODULE_ROOT ]] || MODULE_ROOT=$WORK/kernel/usr/lib/modules/$KERNEL_RELEASE  # Debian 13 moved them
    [[ -d $MODULE_ROOT ]] || fail "$(basename "$kernel_deb") has no lib/modules/$KERNEL_RELEASE"

    local root=$WORK/root module file modules=()
    mkdir -p "$root/bin" "$root/lib/modules"
    cp "$WORK/busybox/bin/busybox" "$root/bin/busybox"
    cp "$SCRIPT_DIRECTORY/init" "$root/init"
    chmod 755 "$root/init" "$root/bin/busybox"

    say "compiling workload.c with gcc $GCC_MODE -static"
    gcc "$GCC_MODE" -static -Os -s -Wall -Wextra -o "$root/bin/workload" "$WORKLOAD_SOURCE"
    [[ $(od -An -tu1 -j4 -N1 "$root/bin/workload" | tr -d ' ') == "$ELF_CLASS" ]] \
        || fail "gcc $GCC_MODE did not produce a $ARCHITECTURE executable"

    declare -gA SEEN_MODULES=()
    LOAD_ORDER=()
    for module in "${GUEST_MODULES[@]}"; do
        add_module "$module"
    done
    for file in "${LOAD_ORDER[@]}"; do
        cp "$MODULE_ROOT/$file" "$root/lib/modules/"
        modules+=("$(basename "$file" .ko)")
        basename "$file" >> "$root/lib/modules/load-order"
    done
    say "kernel $KERNEL_RELEASE; modules for the initramfs: ${modules[*]:-none (all built in)}"

    # Fixed owner and times, sorted names: the same inputs give the same archive.
    find "$root" -exec touch -h -d @0 {} +
    (cd "$root" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9 -n \
        > "$WORK/initramfs.gz"

    mkdir -p "$OUTPUT"
    cp "$vmlinuz" "$OUTPUT/vmlinuz.new"
    cp "$WORK/initramfs.gz" "$OUTPUT/initramfs.gz.new"
    mv -f "$OUTPUT/vmlinuz.new" "$OUTPUT/vmlinuz"
    mv -f "$OUTPUT/initramfs.gz.new" "$OUTPUT/initramfs.gz"
    # guest.properties last: its presence with matching checksums is what marks the output complete.
    cat > "$OUTPUT/guest.properties.new" <<PROPERTIES
# LivCloud lab guest, made by build-guest.sh from Debian packages
architecture=$ARCHITECTURE
debian.architecture=$DEBIAN_ARCHITECTURE
kernel.release=$KERNEL_RELEASE
kernel.package=$kernel_package
kernel.package.version=$(package_field "$kernel_package" Version)
busybox.package=busybox-static
busybox.package.version=$(package_field busybox-static Version)
kernel.modules=${modules[*]}
gcc.version=$(gcc -dumpfullversion)
vmlinuz.size=$(stat -c %s "$OUTPUT/vmlinuz")
initramfs.size=$(stat -c %s "$OUTPUT/initramfs.gz")
vmlinuz.sha256=$(sha256sum < "$OUTPUT/vmlinuz" | cut -d' ' -f1)
initramfs.sha256=$(sha256sum < "$OUTPUT/initramfs.gz" | cut -d' ' -f1)
inputs.sha256=$INPUTS_CHECKSUM
built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
PROPERTIES
    mv -f "$OUTPUT/guest.properties.new" "$OUTPUT/guest.properties"
    say "built $OUTPUT: vmlinuz $(stat -c %s "$OUTPUT/vmlinuz") bytes, initramfs.gz $(stat -c %s "$OUTPUT/initramfs.gz") bytes"
}

main() {
    if [[ ${1:-} == --check ]]; then
        [[ $# -eq 2 ]] || usage
        select_architecture "$2"
        local missing
        missing=$(missing_packages)
        [[ -z $missing ]] && return 0
        echo "$missing"
        return 1
    fi
    [[ $# -eq 2 ]] || usage
    readonly ARCHITECTURE=$1
    select_architecture "$ARCHITECTURE"
    local file missing
    for file in "${INPUTS[@]}"; do
        [[ -r $file ]] || fail "missing input $file (build-guest.sh, init and workload.c belong in one directory)"
    done
    missing=$(missing_packages)
    [[ -z $missing ]] || fail "missing host packages for the $ARCHITECTURE guest: $(echo "$missing" | paste -sd';' | sed 's/;/; /g'). Install them with apt-get install (or run scripts/install-lab-prerequisites.sh)."

    mkdir -p "$2"
    OUTPUT=$(cd "$2" && pwd)
    INPUTS_CHECKSUM=$(inputs_checksum)
    exec 9> "$OUTPUT/.lock"
    flock 9
    if output_is_current; then
        say "$OUTPUT is up to date ($ARCHITECTURE, kernel $(property "$OUTPUT/guest.properties" kernel.release))"
        return 0
    fi
    say "building the $ARCHITECTURE guest into $OUTPUT"
    build
}

main "$@"
