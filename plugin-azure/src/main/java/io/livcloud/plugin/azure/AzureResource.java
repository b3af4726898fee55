package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * One Azure resource as the plugin sees it: what it is, its name in its resource group, its tags and the few facts the
 * plugin reads from it (see the keys below).
 *
 * @param type Azure's resource type, e.g. {@code Microsoft.Network/publicIPAddresses}
 * @param name the resource's name
 * @param tags its tags; empty when it has none
 * @param properties facts by the keys below; absent keys were not reported
 */
record AzureResource(String type, String name, Map<String, String> tags, Map<String, String> properties) {

    /** Public IP: the address Azure allocated. */
    static final String PUBLIC_ADDRESS = "publicAddress";
    /** Network interface: its primary private address. */
    static final String PRIVATE_ADDRESS = "privateAddress";
    /** Network interface: whether IP forwarding is on ({@code true}/{@code false}). */
    static final String IP_FORWARDING = "ipForwarding";
    /** Virtual machine: its size, e.g. {@code Standard_D4s_v5}. */
    static final String VM_SIZE = "vmSize";
    /** Virtual machine: its security type ({@code Standard}, {@code TrustedLaunch}, {@code ConfidentialVM}). */
    static final String SECURITY_TYPE = "securityType";
    /** Any resource: Azure's provisioning state, e.g. {@code Succeeded}. */
    static final String PROVISIONING_STATE = "provisioningState";

    AzureResource {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        tags = Map.copyOf(tags);
        properties = Map.copyOf(properties);
    }

    /** The resource's kind, if it is one a site is made of. */
    Optional<ResourceKind> kind() {
        return ResourceKind.ofType(type);
    }

    /** A fact by one of the keys above. */
    Optional<String> property(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** How reports name it: {@code Microsoft.Network/publicIPAddresses/east-gateway-ip}. */
    String displayName() {
        return type + "/" + name;
    }
}
