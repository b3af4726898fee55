package io.livcloud.plugin.kvm.libvirt;

/**
 * {@code virDomainGetState}'s answer.
 *
 * @param state {@code virDomainState}, e.g. {@link #RUNNING}
 * @param reason the reason for that state, e.g. {@link #PAUSED_MIGRATION} when {@code state} is {@link #PAUSED}
 */
public record DomainState(int state, int reason) {

    /** {@code VIR_DOMAIN_RUNNING}. */
    public static final int RUNNING = 1;
    /** {@code VIR_DOMAIN_BLOCKED}: running but blocked on a resource. */
    public static final int BLOCKED = 2;
    /** {@code VIR_DOMAIN_PAUSED}. */
    public static final int PAUSED = 3;
    /** {@code VIR_DOMAIN_SHUTDOWN}: being shut down. */
    public static final int SHUTDOWN = 4;
    /** {@code VIR_DOMAIN_SHUTOFF}. */
    public static final int SHUTOFF = 5;
    /** {@code VIR_DOMAIN_CRASHED}. */
    public static final int CRASHED = 6;

    /** {@code VIR_DOMAIN_PAUSED_MIGRATION}: paused for the switch-over of an outgoing migration. */
    public static final int PAUSED_MIGRATION = 2;
    /** {@code VIR_DOMAIN_PAUSED_POSTCOPY}: the source side of a post-copy migration. */
    public static final int PAUSED_POSTCOPY = 12;
    /** {@code VIR_DOMAIN_PAUSED_POSTCOPY_FAILED}: the source side of a post-copy migration that failed. */
    public static final int PAUSED_POSTCOPY_FAILED = 13;
    /** {@code VIR_DOMAIN_RUNNING_POSTCOPY}: the destination side of a post-copy migration. */
    public static final int RUNNING_POSTCOPY = 10;

    /** Running, blocked or paused: a QEMU process exists. */
    public boolean active() {
        return state == RUNNING || state == BLOCKED || state == PAUSED || state == SHUTDOWN;
    }
}
