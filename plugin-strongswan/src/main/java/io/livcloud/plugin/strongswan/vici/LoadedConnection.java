package io.livcloud.plugin.strongswan.vici;

import java.util.List;

/**
 * A connection charon has loaded ({@code list-conn} event).
 *
 * @param name its name
 * @param localAddresses where it accepts IKE locally
 * @param remoteAddresses the peers it talks to
 * @param version {@code IKEv2}, {@code IKEv1} or {@code 0} for any
 * @param children its CHILD_SA configurations' names
 */
public record LoadedConnection(String name, List<String> localAddresses, List<String> remoteAddresses,
        String version, List<String> children) {

    public LoadedConnection {
        localAddresses = List.copyOf(localAddresses);
        remoteAddresses = List.copyOf(remoteAddresses);
        children = List.copyOf(children);
    }
}
