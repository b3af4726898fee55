package io.livcloud.plugin.azure;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of Azure resource a site is made of, in the order teardown deletes them: each one only after everything
 * that refers to it (the VM holds the NIC and the OS disk, the NIC holds the public IP, the NSG and a subnet of the
 * VNet). Provisioning creates them in the reverse order.
 */
enum ResourceKind {
    VIRTUAL_MACHINE("Microsoft.Compute/virtualMachines"),
    /** The OS disk, deleted with its VM (deleteOption Delete); listed so a disk left behind is still found. */
    DISK("Microsoft.Compute/disks"),
    NETWORK_INTERFACE("Microsoft.Network/networkInterfaces"),
    PUBLIC_IP_ADDRESS("Microsoft.Network/publicIPAddresses"),
    NETWORK_SECURITY_GROUP("Microsoft.Network/networkSecurityGroups"),
    VIRTUAL_NETWORK("Microsoft.Network/virtualNetworks");

    private final String type;

    ResourceKind(String type) {
        this.type = type;
    }

    /** Azure's resource type, e.g. {@code Microsoft.Compute/virtualMachines}. */
    String type() {
        return type;
    }

    /** The kind of an Azure resource type; Azure compares types case-insensitively. */
    static Optional<ResourceKind> ofType(String type) {
        return Arrays.stream(values()).filter(kind -> kind.type.toLowerCase(Locale.ROOT)
                .equals(type.toLowerCase(Locale.ROOT))).findFirst();
    }
}
