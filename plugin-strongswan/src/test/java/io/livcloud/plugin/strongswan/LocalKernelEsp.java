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
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Whether this machine's kernel can carry ESP, to start the tests' charons with the data path it allows (as the lab
 * does for its sites): the kernel's configuration says whether ESP was built, and adding an AES-GCM ESP state in a
 * throw-away network namespace shows whether it (and the cipher) really works. Only a successful test state means
 * kernel ESP.
 */
final class LocalKernelEsp {

    /** The kernel's AEAD for AES-GCM-16 in ESP (RFC 4106): the default proposal's cipher. */
    static final String GCM_AEAD = "rfc4106(gcm(aes))";

    private LocalKernelEsp() {
    }

    /** The data path charons on this machine can use. */
    static DataPath dataPath() {
        if (kernelOption(Path.of("/proc/config.gz"), "CONFIG_INET_ESP").filter(value -> value.startsWith("="))
                .isEmpty()) {
            return DataPath.USERSPACE_LIBIPSEC;
        }
        try {
            CommandResult probe = new ProcessRunner().run(HostCommand.of(Duration.ofSeconds(10), "unshare", "--net",
                    "ip", "xfrm", "state", "add", "src", "192.0.2.1", "dst", "192.0.2.2", "proto", "esp", "spi",
                    "0x100", "mode", "tunnel", "aead", GCM_AEAD, "0x" + "01".repeat(20), "128"));
            return probe.succeeded() ? DataPath.KERNEL_ESP : DataPath.USERSPACE_LIBIPSEC;
        } catch (ExtensionException e) {
            return DataPath.USERSPACE_LIBIPSEC; // no unshare or ip here: kernel ESP is unproven, so not assumed
        }
    }

    /** {@code = y}, {@code = m}, {@code is not set} or {@code is absent} for the option; empty if unreadable. */
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
