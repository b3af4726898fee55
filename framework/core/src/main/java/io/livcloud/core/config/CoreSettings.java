package io.livcloud.core.config;

import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys the core itself reads, as {@link Setting settings} per section, so they are validated exactly like an
 * extension's: unknown keys with a spelling suggestion, wrong types, missing values. Defaults are in the core's
 * {@code reference.conf}.
 */
public final class CoreSettings {

    /** The root of everything LivCloud reads. */
    public static final String ROOT = "livcloud";
    /** Where plugins are found and which are loaded. */
    public static final String PLUGINS = "livcloud.plugins";
    /** Which extension each step of a migration uses. */
    public static final String MIGRATION = "livcloud.migration";
    /** How the engine runs migrations: {@code livcloud.migration.policy}. */
    public static final String POLICY = "livcloud.migration.policy";
    /** The user's sites, one section each. */
    public static final String SITES = "livcloud.sites";
    /** The extensions' sections: {@code livcloud.extensions.<kind>.<name>}. */
    public static final String EXTENSIONS = "livcloud.extensions";
    /** The key in a site section naming its provider extension. */
    public static final String PROVIDER = "provider";

    /** The levels {@code livcloud.log-level} accepts, quietest first. */
    public static final List<String> LOG_LEVELS = List.of("off", "error", "warn", "info", "debug", "trace");

    private static final List<Setting> ROOT_SETTINGS = List.of(
            Setting.optional("state-directory", SettingType.PATH,
                    "Where LivCloud keeps its journal, its secrets and the expanded plugin zips"),
            Setting.oneOf("log-level", "How much LivCloud logs", LOG_LEVELS.toArray(String[]::new)),
            Setting.optional("plugins", SettingType.OBJECT, "Where plugins are found and which are loaded"),
            Setting.optional("migration", SettingType.OBJECT, "Which extension each step of a migration uses"),
            Setting.optional("sites", SettingType.OBJECT, "The sites, each with its provider and its settings"),
            Setting.optional("extensions", SettingType.OBJECT, "The extensions' settings, by kind and name"));

    private static final List<Setting> PLUGIN_SETTINGS = List.of(
            Setting.optional("directories", SettingType.STRING_LIST,
                    "Plugin roots, each holding plugin folders and/or plugin zips"),
            Setting.optional("disabled", SettingType.STRING_LIST, "Ids of installed plugins not to load"),
            Setting.optional("required", SettingType.STRING_LIST,
                    "Ids of plugins whose failure to load must stop startup"));

    private static final List<Setting> MIGRATION_SETTINGS = migrationSettings();

    private static final List<Setting> POLICY_SETTINGS = List.of(
            Setting.optional("downtime-target", SettingType.DURATION, "The pause the first attempt aims for"),
            Setting.optional("downtime-maximum", SettingType.DURATION, "The largest pause the ladder may raise it to"),
            Setting.optional("bandwidth", SettingType.BYTES, "Cap on the migration stream per second; 0 for none"),
            Setting.optional("multifd-channels", SettingType.INTEGER, "Parallel streams of the first attempt"),
            Setting.optional("ladder", SettingType.STRING_LIST,
                    "Steps when pre-copy stops converging: raise-downtime, xbzrle, auto-converge, post-copy"),
            Setting.optional("stall-passes", SettingType.INTEGER, "Passes without progress that count as a stall"),
            Setting.optional("completion-timeout-per-gib", SettingType.DURATION,
                    "When a migration is given up, per GiB of guest memory"),
            Setting.optional("allow-post-copy", SettingType.BOOLEAN, "Whether the ladder may switch to post-copy"),
            Setting.optional("allow-plaintext", SettingType.BOOLEAN, "Whether a path across sites may be unencrypted"),
            Setting.optional("stretch-segment", SettingType.BOOLEAN, "Whether the channel stretches the sites' shared VM"
                    + " segment over the tunnel, so the VM keeps its address"),
            Setting.optional("reachability-probe", SettingType.STRING, "After the switch-over, probe the VM: "
                    + "icmp:<address> or tcp:<address>:<port>; none for no check"),
            Setting.optional("reachability-from", SettingType.STRING, "The site to probe from; empty for the source"),
            Setting.optional("reachability-timeout", SettingType.DURATION, "How long VERIFY waits for the VM to answer"),
            Setting.optional("client-probe-interval", SettingType.DURATION,
                    "How often the client-side watch probes the VM during the move"),
            Setting.oneOf("on-unreachable", "What VERIFY does when the VM does not answer", "roll-back", "keep"),
            Setting.optional("encrypted-path", SettingType.STRING, "Which encrypted path the migration data takes:"
                    + " auto (TLS when both hosts offer it, else the tunnel), tunnel, tls"),
            Setting.optional("rollback-window", SettingType.DURATION,
                    "How long the source keeps the stopped definition after success"));

    private static final Setting SITE_PROVIDER = Setting.required(PROVIDER, SettingType.STRING,
            "The provider extension that manages this site, e.g. aws");

    private CoreSettings() {
    }

    /** The keys directly under {@code livcloud}. */
    public static List<Setting> root() {
        return ROOT_SETTINGS;
    }

    /** The keys under {@code livcloud.plugins}. */
    public static List<Setting> plugins() {
        return PLUGIN_SETTINGS;
    }

    /** The keys under {@code livcloud.migration}: one per extension kind but provider, which each site chooses. */
    public static List<Setting> migration() {
        return MIGRATION_SETTINGS;
    }

    /** The keys under {@code livcloud.migration.policy}; each absent one takes the engine's default. */
    public static List<Setting> policy() {
        return POLICY_SETTINGS;
    }

    /** The key the core reads in every site section ({@code provider}); the provider declares the others. */
    public static Setting siteProvider() {
        return SITE_PROVIDER;
    }

    /** The core's fixed sections ({@link #ROOT}, {@link #PLUGINS}, {@link #MIGRATION}) and their keys. */
    public static Map<String, List<Setting>> sections() {
        Map<String, List<Setting>> sections = new LinkedHashMap<>();
        sections.put(ROOT, ROOT_SETTINGS);
        sections.put(PLUGINS, PLUGIN_SETTINGS);
        sections.put(MIGRATION, MIGRATION_SETTINGS);
        sections.put(POLICY, POLICY_SETTINGS);
        return Collections.unmodifiableMap(sections);
    }

    private static List<Setting> migrationSettings() {
        List<Setting> settings = new ArrayList<>();
        for (ExtensionKind kind : ExtensionKind.values()) {
            if (kind != ExtensionKind.PROVIDER) {
                settings.add(Setting.optional(kind.configName(), SettingType.STRING,
                        "The " + kind.configName() + " extension migrations use"));
            }
        }
        settings.add(Setting.optional("policy", SettingType.OBJECT, "How the engine runs migrations"));
        return List.copyOf(settings);
    }
}
