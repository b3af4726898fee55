package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.hypervisor.Accelerator;
import java.time.Duration;
import java.util.Objects;

/** Boots a tiny guest with an accelerator and says whether it reached user space: the functional test. */
public interface GuestBoot {

    /**
     * Boots the guest once.
     *
     * @param accelerator {@link Accelerator#KVM} for {@code -accel kvm}, {@link Accelerator#TCG} for {@code -accel tcg}
     * @param timeout how long it may take to reach user space
     */
    Outcome boot(Accelerator accelerator, Duration timeout);

    /**
     * What one boot gave.
     *
     * @param reachedUserSpace the console showed the guest's user-space line in time
     * @param started the emulator process started (false: no binary, bad arguments)
     * @param elapsed from start until the line, the process's end, or the timeout
     * @param detail the command and the last console line, or why it did not start
     */
    record Outcome(boolean reachedUserSpace, boolean started, Duration elapsed, String detail) {
        public Outcome {
            Objects.requireNonNull(elapsed, "elapsed is null");
            Objects.requireNonNull(detail, "detail is null");
        }
    }
}
