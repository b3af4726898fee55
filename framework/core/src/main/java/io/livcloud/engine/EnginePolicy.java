package io.livcloud.engine;

import io.livcloud.spi.provider.ReachabilityTarget;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the engine runs a migration: the pause it aims for, the convergence ladder it climbs when pre-copy does not
 * converge, when it gives up, and what it allows. From {@code livcloud.migration.policy} and command-line options.
 *
 * @param downtimeTarget the pause the first attempt aims for
 * @param downtimeMaximum the largest pause the ladder may raise the target to
 * @param bandwidthBytesPerSecond the migration stream's cap; 0 for none
 * @param multifdChannels parallel streams for the first attempt; 1 for a single stream
 * @param ladder the steps to take, in order, when pre-copy stops converging
 * @param stallPasses how many pre-copy passes without progress count as not converging
 * @param completionTimeoutPerGiB how long a migration may take per GiB of guest memory before it is given up (the VM
 *     keeps running on the source)
 * @param minimumCompletionTimeout the least time any migration gets
 * @param allowPostCopy whether the ladder may switch to post-copy. Risk: if the link fails during post-copy the VM is
 *     lost on both sides, because its memory is split between them
 * @param allowPlaintext whether a migration may cross sites without encryption: its data stream, or the hypervisors'
 *     control connection when the data goes under TLS and no tunnel carries the control connection
 * @param encryptedPath which encrypted path the migration data takes between sites
 * @param rollbackWindow how long the source keeps the VM's stopped definition after success, for a roll-back
 * @param pollInterval how often the transfer's progress is read
 * @param stretchSegment whether the channel also stretches the sites' shared VM segment over the tunnel (layer 2), so
 *     that the VM keeps its address and its clients keep talking to it
 * @param reachability how VERIFY checks that the VM still answers its clients after the move
 */
public record EnginePolicy(
        Duration downtimeTarget,
        Duration downtimeMaximum,
        long bandwidthBytesPerSecond,
        int multifdChannels,
        List<Rung> ladder,
        int stallPasses,
        Duration completionTimeoutPerGiB,
        Duration minimumCompletionTimeout,
        boolean allowPostCopy,
        boolean allowPlaintext,
        EncryptedPath encryptedPath,
        Duration rollbackWindow,
        Duration pollInterval,
        boolean stretchSegment,
        Reachability reachability) {

    /** A step of the convergence ladder. */
    public enum Rung {
        /** Double the allowed pause, up to {@link #downtimeMaximum}; done while the transfer runs. */
        RAISE_DOWNTIME("raise-downtime"),
        /** Restart with XBZRLE: resend only the changed bytes of pages sent before. */
        XBZRLE("xbzrle"),
        /** Restart with auto-converge: QEMU throttles the guest's vCPUs until the copy catches up. */
        AUTO_CONVERGE("auto-converge"),
        /** Restart with post-copy allowed and switch after the first pass (only with allow-post-copy). */
        POST_COPY("post-copy");

        private final String label;

        Rung(String label) {
            this.label = label;
        }

        /** Its name in configuration and output. */
        public String label() {
            return label;
        }

        /** The rung with this label. @throws IllegalArgumentException naming the labels */
        public static Rung of(String label) {
            return byLabel(values(), Rung::label, label, "a ladder step; the steps are");
        }
    }

    /**
     * Which encrypted path the migration data takes between sites. Whatever the choice, the hypervisors' control
     * connection (libvirt's peer-to-peer connection: the VM's definition and the migration's handshake, not its memory)
     * goes through the tunnel when there is one.
     */
    public enum EncryptedPath {
        /**
         * TLS when the source and destination hosts both advertise it ({@code migration-tls}), because it is much
         * faster than a userspace IPsec tunnel; else the tunnel.
         */
        AUTO("auto"),
        /** Through the site-to-site tunnel only. */
        TUNNEL("tunnel"),
        /** The hypervisor's own TLS straight across the WAN only; refused when a host does not advertise it. */
        TLS("tls");

        private final String label;

        EncryptedPath(String label) {
            this.label = label;
        }

        /** Its name in configuration and output. */
        public String label() {
            return label;
        }

        /** The path with this label. @throws IllegalArgumentException naming the labels */
        public static EncryptedPath of(String label) {
            return byLabel(values(), EncryptedPath::label, label, "an encrypted path; the paths are");
        }
    }

    /** The value whose label this is. @throws IllegalArgumentException naming every label */
    private static <T> T byLabel(T[] values, Function<T, String> labelOf, String label, String kind) {
        for (T value : values) {
            if (labelOf.apply(value).equals(label)) {
                return value;
            }
        }
        throw new IllegalArgumentException("'" + label + "' is not " + kind + " "
                + String.join(", ", Arrays.stream(values).map(labelOf).toList()));
    }

    public EnginePolicy {
        Objects.requireNonNull(downtimeTarget, "downtimeTarget is null");
        Objects.requireNonNull(downtimeMaximum, "downtimeMaximum is null");
        Objects.requireNonNull(encryptedPath, "encryptedPath is null");
        ladder = List.copyOf(ladder);
        Objects.requireNonNull(completionTimeoutPerGiB, "completionTimeoutPerGiB is null");
        Objects.requireNonNull(minimumCompletionTimeout, "minimumCompletionTimeout is null");
        Objects.requireNonNull(rollbackWindow, "rollbackWindow is null");
        Objects.requireNonNull(pollInterval, "pollInterval is null");
        Objects.requireNonNull(reachability, "reachability is null");
        if (downtimeMaximum.compareTo(downtimeTarget) < 0) {
            throw new IllegalArgumentException("the maximum downtime " + downtimeMaximum.toMillis() + " ms is below the"
                    + " target " + downtimeTarget.toMillis() + " ms");
        }
        if (multifdChannels < 1 || stallPasses < 1 || bandwidthBytesPerSecond < 0) {
            throw new IllegalArgumentException("multifd channels and stall passes must be at least 1, bandwidth >= 0");
        }
    }

    /**
     * The defaults: a 300 ms pause target that may rise to 2 s, two multifd streams, then XBZRLE, then auto-converge;
     * 3 passes without progress count as a stall; 2 minutes per GiB (at least 1 minute); no post-copy, no plaintext;
     * TLS where both hosts offer it, else the tunnel; the segment stretched; no reachability probe; the source's
     * definition kept an hour.
     */
    public static EnginePolicy defaults() {
        return new EnginePolicy(Duration.ofMillis(300), Duration.ofSeconds(2), 0, 2,
                List.of(Rung.RAISE_DOWNTIME, Rung.XBZRLE, Rung.AUTO_CONVERGE), 3, Duration.ofMinutes(2),
                Duration.ofMinutes(1), false, false, EncryptedPath.AUTO, Duration.ofHours(1), Duration.ofMillis(500),
                true, Reachability.NONE);
    }

    /** When a VM of this much memory is given up. */
    public Duration completionTimeout(long memoryBytes) {
        double gibibytes = memoryBytes / (double) (1L << 30);
        Duration scaled = Duration.ofMillis((long) Math.ceil(completionTimeoutPerGiB.toMillis() * gibibytes));
        return scaled.compareTo(minimumCompletionTimeout) < 0 ? minimumCompletionTimeout : scaled;
    }

    /** The settings as people read them, for the plan and the report. */
    public Map<String, String> describe() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("downtime-target", downtimeTarget.toMillis() + " ms");
        settings.put("downtime-maximum", downtimeMaximum.toMillis() + " ms");
        settings.put("bandwidth", bandwidthBytesPerSecond == 0 ? "unlimited"
                : (bandwidthBytesPerSecond >> 20) + " MiB/s");
        settings.put("multifd-channels", Integer.toString(multifdChannels));
        settings.put("ladder", String.join(", ", ladder.stream().map(Rung::label).toList()));
        settings.put("stall-passes", Integer.toString(stallPasses));
        settings.put("completion-timeout-per-gib", completionTimeoutPerGiB.toSeconds() + " s");
        settings.put("allow-post-copy", Boolean.toString(allowPostCopy));
        settings.put("allow-plaintext", Boolean.toString(allowPlaintext));
        settings.put("encrypted-path", encryptedPath.label());
        settings.put("rollback-window", rollbackWindow.toMinutes() + " min");
        settings.put("stretch-segment", Boolean.toString(stretchSegment));
        settings.put("reachability-probe", reachability.target().map(Object::toString).orElse("none"));
        reachability.target().ifPresent(target -> {
            settings.put("reachability-from", reachability.fromSite().isEmpty() ? "the source site"
                    : reachability.fromSite());
            settings.put("reachability-timeout", reachability.timeout().toMillis() + " ms");
            settings.put("client-probe-interval", reachability.clientProbeInterval().toMillis() + " ms");
            settings.put("on-unreachable", reachability.onUnreachable().label());
        });
        return settings;
    }

    /** This policy with post-copy allowed or not. */
    public EnginePolicy withAllowPostCopy(boolean allowed) {
        return new EnginePolicy(downtimeTarget, downtimeMaximum, bandwidthBytesPerSecond, multifdChannels, ladder,
                stallPasses, completionTimeoutPerGiB, minimumCompletionTimeout, allowed, allowPlaintext,
                encryptedPath, rollbackWindow, pollInterval, stretchSegment, reachability);
    }

    /** This policy with another cap on the migration stream (bytes per second; 0 for none). */
    public EnginePolicy withBandwidth(long bytesPerSecond) {
        return new EnginePolicy(downtimeTarget, downtimeMaximum, bytesPerSecond, multifdChannels, ladder, stallPasses,
                completionTimeoutPerGiB, minimumCompletionTimeout, allowPostCopy, allowPlaintext, encryptedPath,
                rollbackWindow, pollInterval, stretchSegment, reachability);
    }

    /** This policy with plaintext allowed or not. */
    public EnginePolicy withAllowPlaintext(boolean allowed) {
        return new EnginePolicy(downtimeTarget, downtimeMaximum, bandwidthBytesPerSecond, multifdChannels, ladder,
                stallPasses, completionTimeoutPerGiB, minimumCompletionTimeout, allowPostCopy, allowed, encryptedPath,
                rollbackWindow, pollInterval, stretchSegment, reachability);
    }

    /** This policy with another encrypted path for the data. */
    public EnginePolicy withEncryptedPath(EncryptedPath path) {
        return new EnginePolicy(downtimeTarget, downtimeMaximum, bandwidthBytesPerSecond, multifdChannels, ladder,
                stallPasses, completionTimeoutPerGiB, minimumCompletionTimeout, allowPostCopy, allowPlaintext, path,
                rollbackWindow, pollInterval, stretchSegment, reachability);
    }

    /** This policy with another pause target; the maximum rises to it if it was lower. */
    public EnginePolicy withDowntimeTarget(Duration target) {
        return new EnginePolicy(target, downtimeMaximum.compareTo(target) < 0 ? target : downtimeMaximum,
                bandwidthBytesPerSecond, multifdChannels, ladder, stallPasses, completionTimeoutPerGiB,
                minimumCompletionTimeout, allowPostCopy, allowPlaintext, encryptedPath, rollbackWindow, pollInterval,
                stretchSegment, reachability);
    }

    /** This policy with another reachability check. */
    public EnginePolicy withReachability(Reachability check) {
        return new EnginePolicy(downtimeTarget, downtimeMaximum, bandwidthBytesPerSecond, multifdChannels, ladder,
                stallPasses, completionTimeoutPerGiB, minimumCompletionTimeout, allowPostCopy, allowPlaintext,
                encryptedPath, rollbackWindow, pollInterval, stretchSegment, check);
    }

    /** This policy with the segment stretch asked for or not. */
    public EnginePolicy withStretchSegment(boolean stretch) {
        return new EnginePolicy(downtimeTarget, downtimeMaximum, bandwidthBytesPerSecond, multifdChannels, ladder,
                stallPasses, completionTimeoutPerGiB, minimumCompletionTimeout, allowPostCopy, allowPlaintext,
                encryptedPath, rollbackWindow, pollInterval, stretch, reachability);
    }

    /**
     * How VERIFY checks that the VM answers its clients after the switch-over, and what happens when it does not.
     *
     * @param target what to probe; empty for no check (VERIFY then checks the hypervisors only)
     * @param fromSite the site to probe from, where the VM's clients enter; empty for the migration's source site
     * @param timeout how long VERIFY waits for an answer
     * @param clientProbeInterval how often the client-side watch probes during the move, to measure the longest gap
     *     between answers (the interruption a client saw)
     * @param onUnreachable what VERIFY does when no answer comes
     */
    public record Reachability(Optional<ReachabilityTarget> target, String fromSite, Duration timeout,
            Duration clientProbeInterval, OnUnreachable onUnreachable) {

        /** No reachability check. */
        public static final Reachability NONE = new Reachability(Optional.empty(), "", Duration.ofSeconds(10),
                Duration.ofMillis(10), OnUnreachable.ROLL_BACK);

        public Reachability {
            Objects.requireNonNull(target, "target is null");
            Objects.requireNonNull(fromSite, "fromSite is null");
            Objects.requireNonNull(timeout, "timeout is null");
            Objects.requireNonNull(clientProbeInterval, "clientProbeInterval is null");
            Objects.requireNonNull(onUnreachable, "onUnreachable is null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the reachability timeout must be positive");
            }
            if (clientProbeInterval.toMillis() < 2) {
                throw new IllegalArgumentException("the client probe interval is " + clientProbeInterval.toMillis()
                        + " ms; it must be at least 2 ms");
            }
        }

        /** This check probing another target. */
        public Reachability withTarget(Optional<ReachabilityTarget> probe) {
            return new Reachability(probe, fromSite, timeout, clientProbeInterval, onUnreachable);
        }

        /** This check with another decision when the VM does not answer. */
        public Reachability withOnUnreachable(OnUnreachable choice) {
            return new Reachability(target, fromSite, timeout, clientProbeInterval, choice);
        }
    }

    /** What VERIFY does when the VM does not answer at the destination. */
    public enum OnUnreachable {
        /** Migrate the VM back to the source, where its clients reached it. */
        ROLL_BACK("roll-back"),
        /** Leave it at the destination and report the migration as failed, for a person to decide. */
        KEEP("keep");

        private final String label;

        OnUnreachable(String label) {
            this.label = label;
        }

        /** Its name in configuration and output. */
        public String label() {
            return label;
        }

        /** The choice with this label. @throws IllegalArgumentException naming the labels */
        public static OnUnreachable of(String label) {
            return byLabel(values(), OnUnreachable::label, label, "a choice for on-unreachable; the choices are");
        }
    }
}
