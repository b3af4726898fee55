#!/bin/bash
# Makes a fresh Debian 12 cloud VM a LivCloud host; run once by cloud-init (runcmd), as root, with systemd.
#
# What it installs and why:
#   - libvirt 9.0 from bookworm, QEMU 10 from bookworm-backports: bookworm's QEMU 7.2 corrupts TCG guests that write
#     memory during a live migration (fixed upstream in QEMU 9.0); libvirt from backports would upgrade systemd.
#   - strongSwan (charon-systemd, swanctl) with its VICI socket, through which LivCloud's tunnel driver configures the
#     tunnel; no tunnel is configured here.
#   - a routed libvirt network "livcloud" for the site's VM subnet: the cloud routes that subnet to this host, which
#     is why the cloud's source/destination check is off on it.
#   - libvirtd listening on TCP (no auth) for peer-to-peer migration, on the host's VM-subnet address only: that address
#     is reached only through the site-to-site tunnel, never from the WAN (LivCloud itself reaches libvirt's Unix
#     socket over SSH). The cloud firewall opens only SSH (operator) and
#     IKE/ESP (peer gateway), but that does not protect libvirtd from the guests: this host routes the VM bridge and the
#     tunnel, so its own VMs and the peer site's VMs reach 16509 and the migration ports, and anyone there owns the
#     hypervisor. An nftables table "livcloud" therefore accepts those ports only from the peer hosts' addresses
#     inside the tunnel (set peer_hosts) and drops them from everywhere else, the VM bridge first. The peer hosts are
#     not known here: livcloud-tunnel-updown, which charon runs as a tunnel comes up or goes down, adds and removes
#     them (the tunnel driver passes the peer host's inside address to it).
#
# Its progress and outcome go to $STATUS_FILE, one key=value a line (io.livcloud.plugin.toolkit.cloud.BootstrapStatus reads
# it over SSH). Settings come from $ENV_FILE, written by cloud-init next to this script.
#
# LIVCLOUD_BOOTSTRAP_ROOT (tests only) prefixes every file this script writes, so a test can run it against stub
# commands in a temporary folder.
set -euo pipefail

readonly ROOT=${LIVCLOUD_BOOTSTRAP_ROOT:-}
readonly ENV_FILE=$ROOT/etc/livcloud/bootstrap.env
readonly STATUS_FILE=$ROOT/var/lib/livcloud/bootstrap-status
readonly BACKPORTS_FILE=$ROOT/etc/apt/sources.list.d/livcloud-backports.sources

# shellcheck source=/dev/null
source "$ENV_FILE"
: "${SITE:?} ${VM_GATEWAY_ADDRESS:?} ${VM_NETMASK:?} ${VM_DHCP_START:?} ${VM_DHCP_END:?}"

mkdir -p "$(dirname "$STATUS_FILE")"

# report STATE DETAIL [KEY=VALUE...]: replaces the status file atomically, so a reader never sees half of it.
report() {
    local state=$1 detail=$2
    shift 2
    {
        echo "state=$state"
        echo "detail=$detail"
        echo "site=$SITE"
        echo "time=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        local fact
        for fact in "$@"; do echo "$fact"; done
    } > "$STATUS_FILE.tmp"
    mv "$STATUS_FILE.tmp" "$STATUS_FILE"
}
trap 'report failed "line $LINENO: $BASH_COMMAND (exit $?)"' ERR

report installing "adding bookworm-backports and installing libvirt, QEMU 10, strongSwan"
if ! grep -rqs bookworm-backports "$ROOT/etc/apt/sources.list" "$ROOT/etc/apt/sources.list.d/"; then
    # Reuse the mirror the image already uses: it is the one this cloud's network reaches.
    mirror=$(sed -n 's/^URIs: *\(.*debian\/*\)$/\1/p' "$ROOT/etc/apt/sources.list.d/debian.sources" 2>/dev/null | head -n 1)
    mkdir -p "$(dirname "$BACKPORTS_FILE")"
    cat > "$BACKPORTS_FILE" <<SOURCES
Types: deb
URIs: ${mirror:-http://deb.debian.org/debian}
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi
export DEBIAN_FRONTEND=noninteractive
# Retries: a cloud may change the host's public address once early on (EC2: the Elastic IP replaces the launch
# address), which breaks downloads in flight.
apt-get -o Acquire::Retries=10 update -q
apt-get -o Acquire::Retries=10 install -y -q --no-install-recommends libvirt-daemon libvirt-daemon-driver-qemu libvirt-daemon-system \
    libvirt-clients charon-systemd strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins \
    iproute2 nftables
apt-get -o Acquire::Retries=10 install -y -q --no-install-recommends -t bookworm-backports qemu-system-x86 qemu-utils

report configuring "forwarding, libvirt network livcloud, hypervisor firewall, libvirtd on TCP, strongSwan"
mkdir -p "$ROOT/etc/sysctl.d"
echo "net.ipv4.ip_forward = 1" > "$ROOT/etc/sysctl.d/60-livcloud.conf"
sysctl -q -p "$ROOT/etc/sysctl.d/60-livcloud.conf"

# libvirt 9.0 with QEMU 10 needs <acpi/> in every domain; that is the domain XML's business, not this script's.
mkdir -p "$ROOT/etc/libvirt"
cat > "$ROOT/etc/libvirt/livcloud-network.xml" <<NETWORK
<network>
  <name>livcloud</name>
  <forward mode='route'/>
  <bridge name='lcvm0' stp='off'/>
  <ip address='$VM_GATEWAY_ADDRESS' netmask='$VM_NETMASK'>
    <dhcp>
      <range start='$VM_DHCP_START' end='$VM_DHCP_END'/>
    </dhcp>
  </ip>
</network>
NETWORK
# The firewall comes before libvirtd listens on TCP, so the ports are never open to the guests.
mkdir -p "$ROOT/etc/livcloud"
cat > "$ROOT/etc/livcloud/hypervisor-firewall.nft" <<'FIREWALL'
# LivCloud: only the peer hosts reach this host's libvirtd (16509) and QEMU migration ports (49152-49215).
# Replaced as a whole (declare, delete, define) so that loading it again never doubles a rule.
table inet livcloud
delete table inet livcloud
table inet livcloud {
    # The peer hosts' addresses inside the tunnel; livcloud-tunnel-updown adds and removes them.
    set peer_hosts {
        type ipv4_addr
    }
    chain input {
        type filter hook input priority filter; policy accept;
        tcp dport { 16509, 49152-49215 } jump hypervisor
    }
    chain hypervisor {
        iif "lo" accept
        # A guest on the VM bridge never, even with a peer host's address as its source.
        iifname "lcvm0" drop
        ip saddr @peer_hosts accept
        drop
    }
}
FIREWALL
mkdir -p "$ROOT/usr/local/sbin"
cat > "$ROOT/usr/local/sbin/livcloud-tunnel-updown" <<'UPDOWN'
#!/bin/bash
# Run by charon (the swanctl child's "updown") as a LivCloud tunnel comes up or goes down, with the peer host's address
# inside the tunnel as its argument: that address alone, of everything behind the tunnel, may reach the hypervisor.
set -euo pipefail
peer=${1:-}
if [[ ! $peer =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}$ ]]; then
    echo "livcloud-tunnel-updown: '$peer' is not an IPv4 address" >&2
    exit 2
fi
case ${PLUTO_VERB:-} in
    up-client) nft add element inet livcloud peer_hosts "{ $peer }" ;;
    # Already gone (the firewall was reloaded) is fine.
    down-client) nft delete element inet livcloud peer_hosts "{ $peer }" 2>/dev/null || true ;;
esac
UPDOWN
chmod 0755 "$ROOT/usr/local/sbin/livcloud-tunnel-updown"
nft -f "$ROOT/etc/livcloud/hypervisor-firewall.nft"
# Loaded again at every boot by nftables.service, whose /etc/nftables.conf starts from an empty ruleset.
if ! grep -qs 'livcloud/hypervisor-firewall.nft' "$ROOT/etc/nftables.conf"; then
    echo 'include "/etc/livcloud/hypervisor-firewall.nft"' >> "$ROOT/etc/nftables.conf"
fi
systemctl enable nftables.service

if ! grep -q '^listen_tcp' "$ROOT/etc/libvirt/libvirtd.conf" 2>/dev/null; then
    printf 'listen_tcp = 1\nauth_tcp = "none"\n' >> "$ROOT/etc/libvirt/libvirtd.conf"
fi
# The image's login user (EC2: admin; Azure: the VM's admin user) is in group sudo: let it reach libvirt's system
# socket, which is how LivCloud connects (qemu+ssh://user@host/system).
for member in $(getent group sudo | cut -d: -f4 | tr ',' ' '); do
    usermod -a -G libvirt "$member"
done
# Debian's libvirtd is socket-activated: TCP comes from libvirtd-tcp.socket, not from --listen. It listens on every
# address by default; bound to the VM-subnet address it answers only inside the tunnel (FreeBind: the bridge that holds
# the address comes up with the libvirt network, after the socket).
mkdir -p "$ROOT/etc/systemd/system/libvirtd-tcp.socket.d"
printf '[Socket]\nListenStream=\nListenStream=%s:16509\nFreeBind=yes\n' "$VM_GATEWAY_ADDRESS" \
    > "$ROOT/etc/systemd/system/libvirtd-tcp.socket.d/livcloud.conf"
systemctl daemon-reload
systemctl stop libvirtd.service
systemctl enable --now libvirtd-tcp.socket
systemctl start libvirtd.service
virsh -c qemu:///system net-info livcloud > /dev/null 2>&1 \
    || virsh -c qemu:///system net-define "$ROOT/etc/libvirt/livcloud-network.xml"
virsh -c qemu:///system net-autostart livcloud
virsh -c qemu:///system net-info livcloud | grep -q 'Active: *yes' || virsh -c qemu:///system net-start livcloud

systemctl enable --now strongswan.service
for _ in $(seq 1 30); do
    [[ -S $ROOT/run/charon.vici ]] && break
    sleep 1
done
[[ -S $ROOT/run/charon.vici ]] || { report failed "charon's VICI socket /run/charon.vici did not appear in 30 s"; exit 1; }

kvm=none
if [[ -e $ROOT/dev/kvm ]] && grep -qwE 'vmx|svm' "$ROOT/proc/cpuinfo"; then
    kvm=hardware
fi
report ready "libvirt, QEMU and strongSwan are running" \
    "qemu=$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version \([0-9.]*\).*/\1/p')" \
    "libvirt=$(libvirtd --version | awk '{print $NF}')" \
    "strongswan=$(dpkg-query -W -f='${Version}' charon-systemd)" \
    "kvm=$kvm"
