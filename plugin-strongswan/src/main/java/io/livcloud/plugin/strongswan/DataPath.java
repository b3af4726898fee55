package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * How ESP packets are encrypted: by the kernel ({@code kernel-netlink} installs the SAs in XFRM), or by charon itself
 * ({@code kernel-libipsec}: a TUN device, ESP in UDP), which works on any kernel but costs a copy through user space.
 */
enum DataPath {
    KERNEL_ESP("kernel-esp"),
    USERSPACE_LIBIPSEC("userspace-libipsec");

    /** The kernel's AEAD for AES-GCM-16 in ESP (RFC 4106): the default proposal's cipher. */
    static final String GCM_AEAD = "rfc4106(gcm(aes))";

    private final String label;

    DataPath(String label) {
        this.label = label;
    }

    /** How status reports it. */
    String label() {
        return label;
    }

    /** The data path a charon with these plugins loaded uses. */
    static DataPath ofLoadedPlugins(List<String> plugins) {
        return plugins.contains("kernel-libipsec") ? USERSPACE_LIBIPSEC : KERNEL_ESP;
    }

    /**
     * The data path this machine can use, and why.
     *
     * @param dataPath the faster one that works here
     * @param evidence what was found, one fact per line, for users and the report
     */
    record Detection(DataPath dataPath, List<String> evidence) {
        Detection {
            evidence = List.copyOf(evidence);
        }
    }

    /**
     * Detects whether the kernel can carry ESP: the kernel's configuration says whether ESP was built, and adding an
     * AES-GCM ESP state in a throw-away network namespace shows whether it (and the cipher) really works. Never
     * assumed: only a successful test state means kernel ESP.
     */
    static Detection detect(Path kernelConfig) {
        List<String> evidence = new ArrayList<>();
        kernelOption(kernelConfig, "CONFIG_INET_ESP").ifPresentOrElse(
                value -> evidence.add(kernelConfig + ": CONFIG_INET_ESP " + value),
                () -> evidence.add(kernelConfig + " unreadable: the kernel's ESP support is unknown"));
        Duration timeout = Duration.ofSeconds(10);
        boolean accepted;
        String answer;
        try {
            CommandResult probe = new ProcessRunner().run(HostCommand.of(timeout, "unshare", "--net", "ip", "xfrm",
                    "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi", "0x100", "mode",
                    "tunnel", "aead", GCM_AEAD, "0x" + "01".repeat(20), "128"));
            accepted = probe.succeeded();
            String said = probe.timedOut() ? "killed after " + timeout.toSeconds() + " s" : probe.output();
            answer = said.isEmpty() ? "accepted" : said;
        } catch (ExtensionException e) {
            accepted = false; // no unshare or ip here: kernel ESP is unproven, so not assumed
            answer = e.getMessage();
        }
        evidence.add("an ESP " + GCM_AEAD + " test state in a scratch network namespace: " + answer);
        return new Detection(accepted ? KERNEL_ESP : USERSPACE_LIBIPSEC, evidence);
    }

    /** {@code y}, {@code m} or {@code is not set} for the option in a (gzipped) kernel configuration. */
    static Optional<String> kernelOption(Path kernelConfig, String option) {
        try (InputStream raw = Files.newInputStream(kernelConfig);
                InputStream in = kernelConfig.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return kernelOption(new String(in.readAllBytes(), StandardCharsets.UTF_8), option);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<String> kernelOption(String configText, String option) {
        for (String line : configText.split("\n")) {
            if (line.startsWith(option + "=")) {
                return Optional.of("= " + line.substring(option.length() + 1));
            }
            if (line.equals("# " + option + " is not set")) {
                return Optional.of("is not set");
            }
        }
        return Optional.of("is absent");
    }
}
