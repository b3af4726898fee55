package io.livcloud.plugin.strongswan.vici;

/**
 * What {@code version} answers.
 *
 * @param daemon the IKE daemon's name, {@code charon} (or {@code charon-systemd})
 * @param version the strongSwan version, e.g. {@code 5.9.8}
 * @param system operating system, release and machine, e.g. {@code Linux 6.1.0 x86_64}
 */
public record CharonVersion(String daemon, String version, String system) {
}
