package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.settings.DeclaredSettings;
import io.livcloud.plugin.toolkit.settings.SettingsReader;
import io.livcloud.plugin.toolkit.settings.TypedSetting;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's settings ({@code livcloud.extensions.provider.lab}), checked beyond their types.
 *
 * @param directory where the lab keeps its sites: configuration, sockets, pid files, logs
 * @param wanRate the rate each site's WAN link is limited to, both ways; empty for no limit
 * @param startTimeout how long a site's daemons (libvirtd, charon, sshd) may take to answer
 * @param installPrerequisites whether provisioning first runs the prerequisites installer
 * @param migrationTls whether each site's libvirtd gets the material for QEMU's TLS on migration streams
 * @param accessMode how LivCloud reaches the hosts of sites brought up from now on
 */
record LabConfig(Path directory, Optional<WanRate> wanRate, Duration startTimeout, boolean installPrerequisites,
        boolean migrationTls, AccessMode accessMode) {

    static final TypedSetting<Path> DIRECTORY = TypedSetting.path("directory",
            "Where the lab keeps its sites: rendered configuration, sockets, pid files and logs.").required();
    static final TypedSetting<String> WAN_RATE = TypedSetting.string("wan-rate",
            "The rate each site's WAN link is limited to in both directions, in tc's units (e.g. 1gbit,"
                    + " 100mbit); empty for no limit.");
    static final TypedSetting<Duration> START_TIMEOUT = TypedSetting.duration("start-timeout",
            "How long a site's daemons (libvirtd, charon, sshd) may take to answer.");
    static final TypedSetting<Boolean> INSTALL_PREREQUISITES = TypedSetting.bool("install-prerequisites",
            "Whether provisioning a site first installs what is missing (libvirt, QEMU 10, strongSwan).");
    static final TypedSetting<Boolean> MIGRATION_TLS = TypedSetting.bool("migration-tls",
            "Whether each site's libvirtd gets certificates from a lab authority for QEMU's TLS on migration"
                    + " streams, and its host says so (attribute migration-tls).");

    static final TypedSetting<String> HOST_ACCESS = TypedSetting.oneOf("host-access",
            "How LivCloud reaches the sites' hosts: namespace (commands through ip netns exec on this machine) or ssh"
                    + " (an sshd in each site, reached over the lab's WAN as a cloud host is). Applies to sites"
                    + " brought up from then on.", AccessMode.NAMESPACE.text(), AccessMode.SSH.text());

    /** The provider's settings; defaults are in this plugin's {@code reference.conf}. */
    static final DeclaredSettings SETTINGS = DeclaredSettings.of(DIRECTORY, WAN_RATE, START_TIMEOUT,
            INSTALL_PREREQUISITES, MIGRATION_TLS, HOST_ACCESS);

    /**
     * The longest socket path a client can connect to is 107 bytes; a site's is
     * {@code <directory>/sites/<8 characters>/run/libvirt-sock}.
     */
    static final int LONGEST_DIRECTORY = 107 - "/sites/12345678/run/libvirt-sock".length();

    /** The directory becomes part of libvirt URIs and of a shell command line: keep it to plain characters. */
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9._/+-]+");

    LabConfig {
        requireNonNull(directory, "directory is null");
        requireNonNull(wanRate, "wanRate is null");
        requireNonNull(startTimeout, "startTimeout is null");
        requireNonNull(accessMode, "accessMode is null");
    }

    /**
     * Reads and checks the section.
     *
     * @throws ExtensionException {@link LabErrorCode#INVALID_SETTING} naming the key and what would be right
     */
    static LabConfig from(ExtensionConfig section) {
        SettingsReader config = new SettingsReader(section, LabErrorCode.INVALID_SETTING);
        Path directory = config.get(DIRECTORY).toAbsolutePath().normalize();
        if (!PLAIN_PATH.matcher(directory.toString()).matches()) {
            throw config.invalid(DIRECTORY, "is '" + directory + "', which has characters other than letters,"
                    + " digits and . _ - + /", "choose a folder with a plain name, e.g. /var/lib/livcloud/lab");
        }
        if (directory.toString().length() > LONGEST_DIRECTORY) {
            throw config.invalid(DIRECTORY, "is '" + directory + "', longer than " + LONGEST_DIRECTORY
                    + " characters: the sites' libvirt sockets below it would exceed the 107 bytes of a socket"
                    + " path", "choose a shorter folder, e.g. /var/lib/livcloud/lab");
        }
        String rate = config.get(WAN_RATE).trim();
        Optional<WanRate> wanRate;
        try {
            wanRate = rate.isEmpty() ? Optional.empty() : Optional.of(WanRate.parse(rate));
        } catch (IllegalArgumentException e) {
            throw config.invalid(WAN_RATE, e.getMessage(), "write a rate such as 1gbit, 100mbit or 10mbps,"
                    + " or \"\" for no limit");
        }
        Duration startTimeout = config.get(START_TIMEOUT);
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw config.invalid(START_TIMEOUT, "is " + startTimeout + ", not a positive duration",
                    "write a duration such as 30s");
        }
        AccessMode accessMode;
        try {
            accessMode = AccessMode.of(config.get(HOST_ACCESS));
        } catch (IllegalArgumentException e) {
            // The core checks an ENUM setting's value; a caller that skips those checks gets the same answer here.
            throw config.invalid(HOST_ACCESS, "is '" + config.get(HOST_ACCESS) + "', not namespace or ssh",
                    "write namespace or ssh");
        }
        return new LabConfig(directory, wanRate, startTimeout, config.get(INSTALL_PREREQUISITES),
                config.get(MIGRATION_TLS), accessMode);
    }

    /** Where each site keeps its files. */
    Path sitesDirectory() {
        return directory.resolve("sites");
    }

    /** The lab's SSH files (ssh mode): the operator's key, the sites' authorized keys, the connector's known hosts. */
    Path sshDirectory() {
        return directory.resolve("ssh");
    }

    /** The key pair LivCloud logs in to every site with (OpenSSH format, 0600; {@code .pub} beside it). */
    Path operatorKey() {
        return sshDirectory().resolve("operator-key");
    }

    /** The sites' {@code AuthorizedKeysFile}: the operator's public key. */
    Path authorizedKeys() {
        return sshDirectory().resolve("authorized_keys");
    }

    /** The SSH connector's known-hosts file (the sites' keys are pinned, so it stays empty). */
    Path knownHosts() {
        return sshDirectory().resolve("known_hosts");
    }

    /** How LivCloud reaches a lab site's host ({@code host-access}). */
    enum AccessMode {
        /**
         * The site is a network namespace on this machine: commands through {@code ip netns exec}, sockets as files.
         * Lab-only: no cloud host can be reached this way.
         */
        NAMESPACE("namespace"),
        /**
         * The site runs an sshd on its WAN address, which LivCloud logs in to with the lab's operator key and the
         * site's pinned host key, exactly as it reaches a cloud host; libvirtd then listens only inside the site.
         */
        SSH("ssh");

        private final String text;

        AccessMode(String text) {
            this.text = text;
        }

        /** As the setting writes it. */
        String text() {
            return text;
        }

        /** The mode the setting names; the settings reader has already checked it is one. */
        static AccessMode of(String text) {
            for (AccessMode mode : values()) {
                if (mode.text.equals(text)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("no host access mode '" + text + "'");
        }
    }

    /**
     * A rate for {@code tc qdisc ... tbf}.
     *
     * @param text as written, e.g. {@code 1gbit}; passed to tc as it is
     * @param bytesPerSecond the same in bytes per second
     */
    record WanRate(String text, long bytesPerSecond) {

        private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([a-z]+)");
        /** tc's units: bit for bits per second, bps for bytes per second, with decimal prefixes. */
        private static final Map<String, Long> BITS_PER_UNIT = Map.ofEntries(
                Map.entry("bit", 1L), Map.entry("kbit", 1_000L), Map.entry("mbit", 1_000_000L),
                Map.entry("gbit", 1_000_000_000L), Map.entry("tbit", 1_000_000_000_000L),
                Map.entry("bps", 8L), Map.entry("kbps", 8_000L), Map.entry("mbps", 8_000_000L),
                Map.entry("gbps", 8_000_000_000L), Map.entry("tbps", 8_000_000_000_000L));
        /** The burst covers this much time at the rate (tbf needs at least one timer tick's worth). */
        private static final long BURST_DIVISOR = 100; // 10 ms
        private static final long SMALLEST_BURST = 32 * 1024;

        static WanRate parse(String text) {
            Matcher rate = RATE.matcher(text.toLowerCase(Locale.ROOT));
            Long bits = rate.matches() ? BITS_PER_UNIT.get(rate.group(2)) : null;
            if (bits == null) {
                throw new IllegalArgumentException("is '" + text + "', not a rate in tc's units (bit, kbit, mbit,"
                        + " gbit, tbit; bps, kbps, mbps, gbps, tbps)");
            }
            long bytesPerSecond = new BigDecimal(rate.group(1)).multiply(BigDecimal.valueOf(bits))
                    .divide(BigDecimal.valueOf(8)).longValue();
            if (bytesPerSecond < 1_000) {
                throw new IllegalArgumentException("is '" + text + "', below 8kbit, too slow for the lab's WAN");
            }
            return new WanRate(text.toLowerCase(Locale.ROOT), bytesPerSecond);
        }

        /** The token bucket's size in bytes: 10 ms at the rate, at least 32 KiB (several full frames). */
        long burstBytes() {
            return Math.max(bytesPerSecond / BURST_DIVISOR, SMALLEST_BURST);
        }
    }
}
