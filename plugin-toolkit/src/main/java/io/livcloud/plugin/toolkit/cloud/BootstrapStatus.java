package io.livcloud.plugin.toolkit.cloud;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The readiness report {@link HostBootstrap}'s script writes to {@link HostBootstrap#STATUS_FILE} on the host: one
 * {@code key=value} a line, always with {@code state} and {@code detail}, and when ready the versions found
 * ({@code qemu}, {@code libvirt}, {@code strongswan}) and {@code kvm} ({@code hardware} or {@code none}).
 *
 * @param state {@link #INSTALLING}, {@link #CONFIGURING}, {@link #READY} or {@link #FAILED}; {@link #ABSENT} when the
 *     file is not there yet (cloud-init has not reached the script)
 * @param detail what is being done, or what failed (the script's line and command)
 * @param facts every line, {@code state} and {@code detail} included, in file order
 */
public record BootstrapStatus(String state, String detail, Map<String, String> facts) {

    public static final String ABSENT = "absent";
    public static final String INSTALLING = "installing";
    public static final String CONFIGURING = "configuring";
    public static final String READY = "ready";
    public static final String FAILED = "failed";

    public BootstrapStatus {
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(detail, "detail is null");
        facts = Map.copyOf(facts);
    }

    /** The status before the script has written anything. */
    public static BootstrapStatus absent() {
        return new BootstrapStatus(ABSENT, "cloud-init has not started the LivCloud bootstrap yet", Map.of());
    }

    /** Parses the file's text; lines without {@code =} are ignored, a missing state reads as {@link #ABSENT}. */
    public static BootstrapStatus parse(String text) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                facts.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        if (!facts.containsKey("state")) {
            return absent();
        }
        return new BootstrapStatus(facts.get("state"), facts.getOrDefault("detail", ""), facts);
    }

    /** Whether the host is ready: packages installed, libvirtd and charon running. */
    public boolean ready() {
        return READY.equals(state);
    }

    /** Whether the bootstrap stopped on an error ({@link #detail()} says which). */
    public boolean failed() {
        return FAILED.equals(state);
    }
}
