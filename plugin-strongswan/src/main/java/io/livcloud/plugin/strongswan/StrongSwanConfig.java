package io.livcloud.plugin.strongswan;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The strongswan extension's settings, read once. Defaults live in the plugin's {@code reference.conf}; a tunnel's
 * {@link io.livcloud.spi.tunnel.TunnelSpec#options() options} may override the negotiation settings for that tunnel.
 *
 * @param charonPath the charon binary LivCloud starts for lab gateways
 * @param dataPath {@code auto}, {@code kernel} or {@code userspace}
 * @param ikeProposals IKE proposals, strongSwan syntax
 * @param espProposals ESP proposals, strongSwan syntax
 * @param dpdDelay how often an idle peer is checked for liveness
 * @param ikeRekeyTime how often the IKE_SA gets new keys
 * @param rekeyTime how often the CHILD_SA (the data keys) gets new keys
 * @param establishTimeout how long bringing a tunnel up may take
 * @param startTimeout how long a charon started for a lab gateway may take to answer
 * @param retransmitTries IKE retransmissions before the peer counts as unreachable
 */
record StrongSwanConfig(Path charonPath, Mode dataPath, String ikeProposals, String espProposals, Duration dpdDelay,
        Duration ikeRekeyTime, Duration rekeyTime, Duration establishTimeout, Duration startTimeout,
        int retransmitTries) {

    /** Which data path to use. */
    enum Mode {
        /** The kernel's ESP when the kernel has it, else userspace. */
        AUTO,
        /** The kernel's ESP; refused where it is missing. */
        KERNEL,
        /** charon's own ESP implementation, on any kernel. */
        USERSPACE
    }

    static final String CHARON_PATH = "charon-path";
    static final String DATA_PATH = "data-path";
    static final String IKE_PROPOSALS = "ike-proposals";
    static final String ESP_PROPOSALS = "esp-proposals";
    static final String DPD_DELAY = "dpd-delay";
    static final String IKE_REKEY_TIME = "ike-rekey-time";
    static final String REKEY_TIME = "rekey-time";
    static final String ESTABLISH_TIMEOUT = "establish-timeout";
    static final String START_TIMEOUT = "start-timeout";
    static final String RETRANSMIT_TRIES = "retransmit-tries";

    /** The options a tunnel may override. */
    static final List<String> TUNNEL_OPTIONS = List.of(IKE_PROPOSALS, ESP_PROPOSALS, DPD_DELAY, IKE_REKEY_TIME,
            REKEY_TIME);

    StrongSwanConfig {
        requireNonNull(charonPath, "charonPath is null");
        requireNonNull(dataPath, "dataPath is null");
        requireNonNull(ikeProposals, "ikeProposals is null");
        requireNonNull(espProposals, "espProposals is null");
    }

    static List<Setting> settings() {
        return List.of(
                Setting.required(CHARON_PATH, SettingType.PATH, "The charon daemon LivCloud starts for lab gateways."),
                Setting.oneOf(DATA_PATH, "How ESP is encrypted: auto (the kernel's ESP where the kernel has it, else"
                        + " userspace), kernel, or userspace (charon's kernel-libipsec).", "auto", "kernel", "userspace"),
                Setting.required(IKE_PROPOSALS, SettingType.STRING, "IKE proposals (strongSwan syntax)."),
                Setting.required(ESP_PROPOSALS, SettingType.STRING, "ESP proposals (strongSwan syntax)."),
                Setting.required(DPD_DELAY, SettingType.DURATION, "How often an idle peer is checked for liveness."),
                Setting.required(IKE_REKEY_TIME, SettingType.DURATION, "How often the IKE SA gets new keys."),
                Setting.required(REKEY_TIME, SettingType.DURATION, "How often the data keys (CHILD SA) are renewed."),
                Setting.required(ESTABLISH_TIMEOUT, SettingType.DURATION, "How long bringing a tunnel up may take."),
                Setting.required(START_TIMEOUT, SettingType.DURATION,
                        "How long a charon started for a lab gateway may take to answer."),
                Setting.required(RETRANSMIT_TRIES, SettingType.INTEGER,
                        "IKE retransmissions before the peer counts as unreachable."));
    }

    static StrongSwanConfig from(ExtensionConfig config) {
        return new StrongSwanConfig(
                config.path(CHARON_PATH).orElseThrow(),
                Mode.valueOf(config.string(DATA_PATH).orElse("auto").toUpperCase(Locale.ROOT)),
                config.string(IKE_PROPOSALS).orElseThrow(),
                config.string(ESP_PROPOSALS).orElseThrow(),
                config.duration(DPD_DELAY).orElseThrow(),
                config.duration(IKE_REKEY_TIME).orElseThrow(),
                config.duration(REKEY_TIME).orElseThrow(),
                config.duration(ESTABLISH_TIMEOUT).orElseThrow(),
                config.duration(START_TIMEOUT).orElseThrow(),
                (int) config.integer(RETRANSMIT_TRIES).orElseThrow());
    }

    /**
     * The negotiation settings for one tunnel: these, with the tunnel's options over them.
     *
     * @throws IllegalArgumentException naming an unknown option or a malformed duration
     */
    Negotiation negotiation(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!TUNNEL_OPTIONS.contains(key)) {
                throw new IllegalArgumentException("the tunnel option '" + key + "' is unknown; the strongswan"
                        + " extension takes " + String.join(", ", TUNNEL_OPTIONS));
            }
        }
        return new Negotiation(
                options.getOrDefault(IKE_PROPOSALS, ikeProposals),
                options.getOrDefault(ESP_PROPOSALS, espProposals),
                durationOption(options, DPD_DELAY, dpdDelay),
                durationOption(options, IKE_REKEY_TIME, ikeRekeyTime),
                durationOption(options, REKEY_TIME, rekeyTime));
    }

    private static Duration durationOption(Map<String, String> options, String key, Duration fallback) {
        String text = options.get(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(text.trim().replaceAll("s$", "")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the tunnel option " + key + " = '" + text + "' is not a number of"
                    + " seconds (write e.g. 30s)");
        }
    }

    /**
     * What the two gateways negotiate.
     *
     * @param ikeProposals IKE proposals
     * @param espProposals ESP proposals
     * @param dpdDelay liveness check interval
     * @param ikeRekeyTime IKE_SA rekey interval
     * @param rekeyTime CHILD_SA rekey interval
     */
    record Negotiation(String ikeProposals, String espProposals, Duration dpdDelay, Duration ikeRekeyTime,
            Duration rekeyTime) {
    }
}
