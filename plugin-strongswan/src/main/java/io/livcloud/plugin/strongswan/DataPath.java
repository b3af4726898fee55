package io.livcloud.plugin.strongswan;

import java.util.List;

/**
 * How ESP packets are encrypted at a gateway: by its kernel ({@code kernel-netlink} installs the SAs in XFRM), or by
 * its charon itself ({@code kernel-libipsec}: a TUN device, ESP in UDP), which works on any kernel but costs a copy
 * through user space. Whoever runs the gateway's charon chose it; LivCloud reads it from the plugins that charon
 * loaded ({@code stats} over VICI), never from the machine LivCloud runs on.
 */
enum DataPath {
    KERNEL_ESP("kernel-esp"),
    USERSPACE_LIBIPSEC("userspace-libipsec");

    private final String label;

    DataPath(String label) {
        this.label = label;
    }

    /** How status reports it. */
    String label() {
        return label;
    }

    /**
     * The data path a charon with these plugins loaded uses. A charon that names neither its userspace ESP nor a
     * kernel interface (an older or unusual build) counts as userspace: ESP then travels in UDP, which either data path
     * receives, whereas raw ESP would be lost on a userspace one.
     */
    static DataPath ofLoadedPlugins(List<String> plugins) {
        if (plugins.contains("kernel-libipsec")) {
            return USERSPACE_LIBIPSEC;
        }
        return plugins.contains("kernel-netlink") || plugins.contains("kernel-pfkey") ? KERNEL_ESP
                : USERSPACE_LIBIPSEC;
    }

    /**
     * A gateway's data path, and why, from the plugins its charon loaded.
     *
     * @param siteName the gateway's site, for the evidence
     */
    static Detection ofCharon(String siteName, List<String> plugins) {
        DataPath dataPath = ofLoadedPlugins(plugins);
        String why;
        if (plugins.contains("kernel-libipsec")) {
            why = "loaded kernel-libipsec: ESP in user space, inside UDP";
        } else if (dataPath == KERNEL_ESP) {
            why = "loaded " + (plugins.contains("kernel-netlink") ? "kernel-netlink" : "kernel-pfkey")
                    + " without kernel-libipsec: the kernel's ESP";
        } else {
            why = "names no IPsec backend among its plugins (" + String.join(" ", plugins) + "): ESP inside UDP,"
                    + " which either data path receives";
        }
        return new Detection(dataPath, List.of("site " + siteName + "'s charon " + why));
    }

    /**
     * A gateway's data path, and why.
     *
     * @param dataPath what its charon uses
     * @param evidence what was found, one fact per line, for users and the report
     */
    record Detection(DataPath dataPath, List<String> evidence) {
        Detection {
            evidence = List.copyOf(evidence);
        }
    }
}
