package io.livcloud.plugin.strongswan;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.settings.DeclaredSettings;
import io.livcloud.plugin.toolkit.settings.SettingsReader;
import io.livcloud.plugin.toolkit.settings.TypedSetting;
import io.livcloud.spi.ExtensionConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The strongswan extension's settings, read once. Defaults live in the plugin's {@code reference.conf}; a tunnel's
 * {@link io.livcloud.spi.tunnel.TunnelSpec#options() options} may override the negotiation settings for that tunnel.
 *
 * @param dataPath {@code auto}, {@code kernel} or {@code userspace}: which the gateways' charons must have
 * @param ikeProposals IKE proposals, strongSwan syntax
 * @param espProposals ESP proposals, strongSwan syntax
 * @param dpdDelay how often an idle peer is checked for liveness
 * @param ikeRekeyTime how often the IKE_SA gets new keys
 * @param rekeyTime how often the CHILD_SA (the data keys) gets new keys
 * @param establishTimeout how long bringing a tunnel up may take
 */
record StrongSwanConfig(Mode dataPath, String ikeProposals, String espProposals, Duration dpdDelay,
        Duration ikeRekeyTime, Duration rekeyTime, Duration establishTimeout) {

    /** Which data path tunnels need at their gateways; the gateways' charons have theirs, LivCloud only reads it. */
    enum Mode {
        /** What each gateway's charon loaded: the kernel's ESP, or charon's userspace ESP (then inside UDP). */
        AUTO,
        /** The kernel's ESP; a gateway whose charon carries ESP in user space is refused. */
        KERNEL,
        /** charon's own ESP implementation; a gateway whose charon uses the kernel's is refused. */
        USERSPACE
    }

    static final TypedSetting<String> DATA_PATH = TypedSetting.oneOf("data-path", "Which ESP data path tunnels need"
            + " at their gateways: auto (what each gateway's charon loaded), kernel, or userspace (charon's"
            + " kernel-libipsec); a gateway whose charon has the other is refused.", "auto", "kernel", "userspace");
    static final TypedSetting<String> IKE_PROPOSALS = TypedSetting.string("ike-proposals",
            "IKE proposals (strongSwan syntax).").required();
    static final TypedSetting<String> ESP_PROPOSALS = TypedSetting.string("esp-proposals",
            "ESP proposals (strongSwan syntax).").required();
    static final TypedSetting<Duration> DPD_DELAY = TypedSetting.duration("dpd-delay",
            "How often an idle peer is checked for liveness.").required();
    static final TypedSetting<Duration> IKE_REKEY_TIME = TypedSetting.duration("ike-rekey-time",
            "How often the IKE SA gets new keys.").required();
    static final TypedSetting<Duration> REKEY_TIME = TypedSetting.duration("rekey-time",
            "How often the data keys (CHILD SA) are renewed.").required();
    static final TypedSetting<Duration> ESTABLISH_TIMEOUT = TypedSetting.duration("establish-timeout",
            "How long bringing a tunnel up may take.").required();

    /** The extension's settings; defaults are in this plugin's {@code reference.conf}. */
    static final DeclaredSettings SETTINGS = DeclaredSettings.of(DATA_PATH, IKE_PROPOSALS, ESP_PROPOSALS, DPD_DELAY,
            IKE_REKEY_TIME, REKEY_TIME, ESTABLISH_TIMEOUT);

    /** The options a tunnel may override. */
    static final List<String> TUNNEL_OPTIONS = List.of(IKE_PROPOSALS.key(), ESP_PROPOSALS.key(), DPD_DELAY.key(),
            IKE_REKEY_TIME.key(), REKEY_TIME.key());

    StrongSwanConfig {
        requireNonNull(dataPath, "dataPath is null");
        requireNonNull(ikeProposals, "ikeProposals is null");
        requireNonNull(espProposals, "espProposals is null");
    }

    /**
     * Reads the validated section.
     *
     * @throws io.livcloud.spi.ExtensionException {@link StrongSwanErrorCode#INVALID_SETTING} for a setting the user
     *     unset with {@code null}
     */
    static StrongSwanConfig from(ExtensionConfig section) {
        SettingsReader config = new SettingsReader(section, StrongSwanErrorCode.INVALID_SETTING);
        return new StrongSwanConfig(
                Mode.valueOf(config.get(DATA_PATH).toUpperCase(Locale.ROOT)),
                config.get(IKE_PROPOSALS),
                config.get(ESP_PROPOSALS),
                config.get(DPD_DELAY),
                config.get(IKE_REKEY_TIME),
                config.get(REKEY_TIME),
                config.get(ESTABLISH_TIMEOUT));
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
                options.getOrDefault(IKE_PROPOSALS.key(), ikeProposals),
                options.getOrDefault(ESP_PROPOSALS.key(), espProposals),
                durationOption(options, DPD_DELAY, dpdDelay),
                durationOption(options, IKE_REKEY_TIME, ikeRekeyTime),
                durationOption(options, REKEY_TIME, rekeyTime));
    }

    private static Duration durationOption(Map<String, String> options, TypedSetting<Duration> setting,
            Duration fallback) {
        String key = setting.key();
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
