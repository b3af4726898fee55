package io.livcloud.plugin.lab;

import io.livcloud.plugin.lab.LabHost.CommandResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the sites' charons encrypt ESP: in the kernel ({@code kernel-netlink} installs the SAs in XFRM), or in charon
 * itself ({@code kernel-libipsec}: a TUN device, ESP in UDP), which works on any kernel but copies every packet
 * through user space. All sites run on this machine's kernel, so one detection serves the lab.
 */
enum LabDataPath {
    KERNEL_ESP("kernel-esp"),
    USERSPACE_LIBIPSEC("userspace-libipsec");

    /** The kernel's AEAD for AES-GCM-16 in ESP (RFC 4106), the cipher the tunnel's default proposal uses. */
    private static final String GCM_AEAD = "rfc4106(gcm(aes))";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final String label;

    LabDataPath(String label) {
        this.label = label;
    }

    /** How the lab's host attributes and log name it. */
    String label() {
        return label;
    }

    /**
     * The data path and the fact that decided it.
     *
     * @param dataPath the faster one that works here
     * @param evidence what was found, for the log
     */
    record Detection(LabDataPath dataPath, String evidence) {
    }

    /**
     * Detects whether this kernel carries ESP. Its build configuration is decisive when it says ESP was left out
     * ({@code CONFIG_INET_ESP} not set): then nothing is tried. Otherwise (built in, a module, or a kernel that does
     * not expose its configuration) an AES-GCM ESP state is added in a throw-away network namespace, and only its
     * success means kernel ESP: a module may not load, a cipher may be missing. Never assumed.
     */
    static Detection detect(LabHost host) {
        Optional<String> option = host.kernelConfig().map(config -> kernelOption(config, "CONFIG_INET_ESP"));
        if (option.isPresent() && !option.get().equals("y") && !option.get().equals("m")) {
            return new Detection(USERSPACE_LIBIPSEC, "the kernel's configuration (/proc/config.gz) has CONFIG_INET_ESP "
                    + option.get());
        }
        CommandResult probe = host.run(List.of("unshare", "--net", "ip", "xfrm", "state", "add", "src", "192.0.2.1",
                "dst", "192.0.2.2", "proto", "esp", "spi", "0x100", "mode", "tunnel", "aead", GCM_AEAD,
                "0x" + "01".repeat(20), "128"), PROBE_TIMEOUT);
        String configuration = option.map(value -> "CONFIG_INET_ESP=" + value)
                .orElse("no /proc/config.gz");
        if (probe.succeeded()) {
            return new Detection(KERNEL_ESP, configuration + ", and the kernel took an ESP " + GCM_AEAD + " state");
        }
        return new Detection(USERSPACE_LIBIPSEC, configuration + ", but the kernel refused an ESP " + GCM_AEAD
                + " state: " + LabCommands.lastLines(probe.output()));
    }

    /** {@code y} or {@code m} for an option a kernel configuration sets, {@code is not set} or {@code is absent}. */
    static String kernelOption(String configuration, String option) {
        for (String line : configuration.split("\n")) {
            if (line.startsWith(option + "=")) {
                return line.substring(option.length() + 1);
            }
            if (line.equals("# " + option + " is not set")) {
                return "is not set";
            }
        }
        return "is absent";
    }
}
