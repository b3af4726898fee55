package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.DomainState;
import io.livcloud.plugin.kvm.libvirt.JobStatistics;
import io.livcloud.plugin.kvm.libvirt.LibvirtConnection;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.plugin.kvm.libvirt.MigrationFlag;
import io.livcloud.spi.Event;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationProgress;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One outgoing live migration on a source host, over libvirt connections of its own (closed when the job ends, so the
 * caller may close its {@link KvmConnection} meanwhile): one carries only the blocking migrate call, the other every
 * query and control call, one at a time. With libvirt 9.0, concurrent calls on the connection that runs the
 * migration sometimes never returned until the migration ended, which made a job blind and deaf to abort.
 *
 * <p>A job the plugin {@linkplain #start started} runs the blocking {@code virDomainMigrateToURI3} on a thread of its
 * own. A job found running in libvirt ({@linkplain #adopt adopted}, e.g. after LivCloud restarted) is watched by
 * polling until libvirt reports no job. Both emit a {@code migration.progress} event every progress interval and one
 * {@code migration.completed}, {@code migration.failed} or {@code migration.cancelled} event at the end.
 */
final class KvmMigrationJob implements MigrationJob {

    static final String EVENT_SOURCE = "hypervisor/kvm";

    private static final Duration START_POLL = Duration.ofMillis(50);

    private final String vmName;
    private final String sourceName;
    private final String destinationUri;
    private final LibvirtConnection control;
    private final LibvirtConnection stream;
    private final LibvirtMigrationCall libvirtCall;
    private final Clock clock;
    private final ExtensionContext context;
    private final System.Logger logger;
    private final Instant started;
    private final CompletableFuture<MigrationOutcome> outcome = new CompletableFuture<>();
    private final AtomicBoolean abortRequested = new AtomicBoolean();
    /** Set when the watchdog cancelled the migration: the policy's completion timeout passed. */
    private volatile boolean gaveUp;
    private final ReentrantLock controlLock = new ReentrantLock();
    private final ScheduledExecutorService ticker;
    private final Consumer<KvmMigrationJob> onEnd;
    private boolean controlClosed;
    /** Guards the order of events: no progress event after the final one. */
    private final Object eventOrder = new Object();
    private boolean finalEventEmitted;
    private volatile MigrationProgress lastProgress;
    private volatile MigrationPhase endedAs;

    private KvmMigrationJob(String vmName, String sourceName, String destinationUri, LibvirtConnection control,
            LibvirtConnection stream, LibvirtMigrationCall libvirtCall, ExtensionContext context,
            Duration progressInterval, Consumer<KvmMigrationJob> onEnd) {
        this.vmName = Objects.requireNonNull(vmName, "vmName is null");
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName is null");
        this.destinationUri = Objects.requireNonNull(destinationUri, "destinationUri is null");
        this.control = Objects.requireNonNull(control, "control is null");
        this.stream = stream;
        this.libvirtCall = libvirtCall;
        this.context = Objects.requireNonNull(context, "context is null");
        this.clock = context.clock();
        this.logger = context.logger(KvmMigrationJob.class.getName());
        this.started = clock.instant();
        this.onEnd = Objects.requireNonNull(onEnd, "onEnd is null");
        this.lastProgress = new MigrationProgress(MigrationPhase.SETUP, Duration.ZERO, 0, 0, 0, 0, 0, 0);
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("livcloud-kvm-progress-" + vmName));
        long period = progressInterval.toMillis();
        ticker.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a migration on a thread of its own and returns at once.
     *
     * @param control a connection to the source for queries and control, owned by the job from now on
     * @param stream another connection to the source, for the migrate call only, owned by the job from now on
     * @param sourceName the source host's name, for messages
     * @param onEnd called with the job once it ended (after its outcome is known)
     */
    static KvmMigrationJob start(String vmName, String sourceName, String destinationUri, LibvirtConnection control,
            LibvirtConnection stream, LibvirtMigrationCall libvirtCall, ExtensionContext context,
            Duration progressInterval, Consumer<KvmMigrationJob> onEnd) {
        KvmMigrationJob job = new KvmMigrationJob(vmName, sourceName, destinationUri, control,
                Objects.requireNonNull(stream, "stream is null"),
                Objects.requireNonNull(libvirtCall, "libvirtCall is null"), context, progressInterval, onEnd);
        daemon("livcloud-kvm-migrate-" + vmName).newThread(job::migrate).start();
        return job;
    }

    /**
     * Watches an outgoing migration libvirt runs but this process did not start; its policy is unknown, so
     * {@link #startPostCopy()} is left to libvirt to refuse, and so is its request: a completed migration keeps the
     * source's definition, in case the request kept it for rollback.
     */
    static KvmMigrationJob adopt(String vmName, String sourceName, LibvirtConnection control,
            ExtensionContext context, Duration progressInterval, Consumer<KvmMigrationJob> onEnd) {
        KvmMigrationJob job = new KvmMigrationJob(vmName, sourceName, "its destination", control, null, null,
                context, progressInterval, onEnd);
        daemon("livcloud-kvm-watch-" + vmName).newThread(() -> job.watch(progressInterval)).start();
        return job;
    }

    @Override
    public String vmName() {
        return vmName;
    }

    @Override
    public MigrationProgress progress() {
        MigrationOutcome done = outcome.getNow(null);
        if (done != null) {
            return ended(done);
        }
        JobStatistics statistics;
        DomainState state;
        try {
            Optional<JobStatistics> read = withConnection(() -> control.jobStatistics(vmName, false));
            Optional<DomainState> readState = withConnection(() -> control.domainState(vmName));
            if (read.isEmpty() || readState.isEmpty()) {
                return ended(outcome.join());
            }
            statistics = read.get();
            state = readState.get();
        } catch (LibvirtError e) {
            if (outcome.isDone()) {
                return ended(outcome.join());
            }
            if (endedAs != null) {
                return lastProgressAs(endedAs);
            }
            if (e.code() == LibvirtError.OPERATION_INVALID) {
                // The source QEMU has stopped ("domain is not running") and libvirt is confirming the switch-over.
                return lastProgressAs(MigrationPhase.SWITCH_OVER);
            }
            throw new ExtensionException(KvmErrorCode.LIBVIRT_CALL_FAILED,
                    "cannot read the progress of the migration of '" + vmName + "' on " + sourceName + ": "
                            + e.getMessage(),
                    "check that libvirtd on " + sourceName + " still runs", e);
        }
        if (!statistics.active() && endedAs != null) {
            return lastProgressAs(endedAs); // the call returned; the outcome is being read
        }
        Optional<MigrationPhase> ending = switch (statistics.type()) {
            case JobStatistics.CANCELLED -> Optional.of(MigrationPhase.CANCELLED);
            case JobStatistics.FAILED -> Optional.of(MigrationPhase.FAILED);
            case JobStatistics.COMPLETED -> Optional.of(MigrationPhase.COMPLETED);
            default -> Optional.empty();
        };
        if (ending.isPresent()) {
            return lastProgressAs(ending.get()); // libvirt reports the end (without figures) before the call returns
        }
        if (statistics.active() && statistics.number(JobStatistics.MEMORY_TOTAL).isEmpty()
                && lastProgress.phase() != MigrationPhase.SETUP) {
            return lastProgressAs(lastProgress.phase()); // QEMU reports no RAM figures while it cancels
        }
        MigrationProgress progress = MigrationFigures.progress(statistics, state, Duration.between(started,
                clock.instant()));
        lastProgress = progress;
        return progress;
    }

    @Override
    public void setDowntimeLimit(Duration downtimeLimit) {
        Objects.requireNonNull(downtimeLimit, "downtimeLimit is null");
        tune("set the downtime limit", () -> control.setMaxDowntime(vmName, downtimeLimit));
    }

    @Override
    public void setBandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth must be >= 0, 0 for no cap");
        }
        long mebibytes = bytesPerSecond == 0
                ? LibvirtMigrationCall.UNLIMITED_MEBIBYTES_PER_SECOND
                : LibvirtMigrationCall.mebibytesPerSecond(bytesPerSecond);
        tune("set the bandwidth", () -> control.setMaxSpeed(vmName, mebibytes));
    }

    /**
     * Nothing to do when the job started with auto-converge; otherwise refused: QEMU accepts migration
     * capabilities only before a migration starts, and libvirt sets them only then.
     */
    @Override
    public void enableAutoConverge() {
        if (libvirtCall != null && libvirtCall.flags().contains(MigrationFlag.AUTO_CONVERGE)) {
            return;
        }
        throw new ExtensionException(KvmErrorCode.MIGRATION_FEATURE_UNSUPPORTED,
                "auto-converge cannot be turned on for the running migration of '" + vmName
                        + "': QEMU takes migration capabilities only before a migration starts",
                "start the migration with AUTO_CONVERGE in the policy (it only throttles when pre-copy does not "
                        + "converge), or lower the downtime pressure with setDowntimeLimit, or use post-copy");
    }

    @Override
    public void startPostCopy() {
        if (libvirtCall != null && !libvirtCall.flags().contains(MigrationFlag.POSTCOPY)) {
            throw new IllegalStateException("the migration of '" + vmName + "' was not started with POST_COPY");
        }
        tune("switch to post-copy", () -> control.startPostCopy(vmName));
    }

    @Override
    public void abort() {
        if (outcome.isDone()) {
            return;
        }
        abortRequested.set(true);
        try {
            Optional<DomainState> state = withConnection(() -> control.domainState(vmName));
            if (state.isPresent() && state.get().state() == DomainState.PAUSED
                    && state.get().reason() == DomainState.PAUSED_POSTCOPY) {
                throw new ExtensionException(KvmErrorCode.MIGRATION_CONTROL_FAILED,
                        "the migration of '" + vmName + "' has switched to post-copy: the VM already runs on the "
                                + "destination and cannot return to " + sourceName,
                        "let the post-copy phase finish");
            }
            withConnection(() -> {
                control.abortJob(vmName);
                return null;
            });
        } catch (LibvirtError e) {
            if (outcome.isDone() || e.code() == LibvirtError.OPERATION_INVALID) {
                return; // ended meanwhile, or libvirt has no job yet: tick() retries until the job shows up
            }
            throw new ExtensionException(KvmErrorCode.MIGRATION_CONTROL_FAILED,
                    "cannot cancel the migration of '" + vmName + "' on " + sourceName + ": " + e.getMessage(),
                    "retry; as a last resort: virsh domjobabort " + vmName, e);
        }
    }

    @Override
    public Optional<MigrationOutcome> awaitCompletion(Duration timeout) {
        try {
            return Optional.of(outcome.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the migration job of '" + vmName + "' failed internally", e.getCause());
        }
    }

    /** Whether the job ended. */
    boolean ended() {
        return outcome.isDone();
    }

    /**
     * Waits until libvirt runs the migration (QEMU reports the memory to move, so the destination accepted it) or it
     * ended, at most {@code timeout}.
     *
     * @return the outcome if it ended meanwhile
     */
    Optional<MigrationOutcome> awaitStart(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<MigrationOutcome> done = awaitCompletion(START_POLL);
            if (done.isPresent()) {
                return done;
            }
            try {
                Optional<JobStatistics> statistics = withConnection(() -> control.jobStatistics(vmName, false));
                if (statistics.isPresent() && statistics.get().active()
                        && statistics.get().number(JobStatistics.MEMORY_TOTAL).orElse(0) > 0) {
                    return Optional.empty();
                }
            } catch (LibvirtError e) {
                // The migration thread reports what matters; keep waiting for it.
            }
        }
        return Optional.empty();
    }

    private void migrate() {
        try {
            stream.migrate(vmName, destinationUri, libvirtCall.parameters(), libvirtCall.flags());
            endedAs = MigrationPhase.COMPLETED;
            finish(completedOutcome());
        } catch (LibvirtError e) {
            boolean cancelled = abortRequested.get() || e.code() == LibvirtError.OPERATION_ABORTED;
            endedAs = cancelled ? MigrationPhase.CANCELLED : MigrationPhase.FAILED;
            finish(unsuccessfulOutcome(endedAs, e.getMessage()));
        } catch (RuntimeException | Error e) {
            endedAs = MigrationPhase.FAILED;
            finish(unsuccessfulOutcome(MigrationPhase.FAILED, "internal error: " + e));
        }
    }

    private void watch(Duration interval) {
        try {
            while (true) {
                Thread.sleep(interval.toMillis());
                JobStatistics statistics;
                try {
                    statistics = onControl(() -> control.jobStatistics(vmName, false));
                } catch (LibvirtError e) {
                    if (e.code() == LibvirtError.NO_DOMAIN) {
                        endedAs = MigrationPhase.COMPLETED; // a transient domain disappears from a source it left
                        finish(completedOutcome());
                        return;
                    }
                    if (e.code() == LibvirtError.OPERATION_INVALID) {
                        break; // not running any more: the job ended
                    }
                    continue; // a passing failure; ask again
                }
                if (!statistics.active()) {
                    break;
                }
            }
            JobStatistics completed = completedStatistics();
            endedAs = switch (completed.type()) {
                case JobStatistics.CANCELLED -> MigrationPhase.CANCELLED;
                case JobStatistics.FAILED -> MigrationPhase.FAILED;
                case JobStatistics.COMPLETED -> MigrationPhase.COMPLETED;
                default -> onControl(() -> control.domainState(vmName)).active()
                        ? MigrationPhase.FAILED : MigrationPhase.COMPLETED;
            };
            finish(endedAs == MigrationPhase.COMPLETED
                    ? completedOutcome()
                    : unsuccessfulOutcome(endedAs, completed.text(JobStatistics.ERROR_MESSAGE)
                            .orElse("the migration ended without success")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(unsuccessfulOutcome(MigrationPhase.FAILED, "stopped watching: interrupted"));
        } catch (RuntimeException e) {
            finish(unsuccessfulOutcome(MigrationPhase.FAILED, "stopped watching: " + e.getMessage()));
        }
    }

    private MigrationOutcome completedOutcome() {
        JobStatistics completed = completedStatistics();
        StringBuilder detail = new StringBuilder("'" + vmName + "' moved from " + sourceName + " to "
                + destinationUri);
        if (libvirtCall != null) {
            detail.append(" in ").append(Formats.duration(sinceStart()));
        }
        completed.number(JobStatistics.TIME_ELAPSED).ifPresent(ms ->
                detail.append(libvirtCall != null ? " (QEMU's part " : " in ")
                        .append(Formats.duration(Duration.ofMillis(ms))).append(libvirtCall != null ? ")" : ""));
        completed.number(JobStatistics.DOWNTIME).ifPresent(ms ->
                detail.append(", downtime ").append(Formats.duration(Duration.ofMillis(ms))));
        completed.number(JobStatistics.MEMORY_ITERATION).ifPresent(passes ->
                detail.append(", ").append(passes).append(passes == 1 ? " pass" : " passes"));
        if (completed.type() == JobStatistics.NONE) {
            detail.append("; the source kept no statistics (a transient domain disappears with its migration)");
        }
        try {
            if (onControl(() -> control.isPersistent(vmName))) { // a transient source has nothing to remove or keep
                detail.append(settleSourceDefinition());
            }
        } catch (LibvirtError e) {
            if (e.code() != LibvirtError.NO_DOMAIN) {
                detail.append("; ").append(sourceName).append(" keeps a shut-off definition (").append(e.getMessage())
                        .append("): remove it with virsh undefine ").append(vmName);
            }
        }
        return MigrationFigures.outcome(MigrationPhase.COMPLETED, completed, measuredTime(),
                lastProgress.memoryTransferredBytes(), detail.toString());
    }

    /**
     * Removes the source's shut-off definition after a completed migration, unless the request keeps it for a
     * rollback; says which, for the outcome's detail.
     */
    private String settleSourceDefinition() {
        if (libvirtCall == null) {
            // Adopted: whether the request kept the definition for a rollback is unknown here. Removing it cannot be
            // undone; keeping it costs a definition the engine removes with undefine().
            return "; its definition on " + sourceName + " is kept: this process did not start the migration and "
                    + "cannot tell whether it is needed for rollback (undefine removes it)";
        }
        if (libvirtCall.keepSourceDefinition()) {
            return "; its definition on " + sourceName + " is kept for rollback";
        }
        onControl(() -> {
            control.undefine(vmName);
            return null;
        });
        return "; its definition on " + sourceName + " was removed";
    }

    private MigrationOutcome unsuccessfulOutcome(MigrationPhase phase, String reason) {
        String why = gaveUp && phase == MigrationPhase.CANCELLED
                ? "cancelled after the policy's completion timeout of "
                        + Formats.duration(libvirtCall.giveUpAfter()) + " (" + reason + ")"
                : (phase == MigrationPhase.CANCELLED ? "cancelled" : "failed") + ": " + reason;
        String detail = why + "; '" + vmName + "' keeps running on " + sourceName;
        return MigrationFigures.outcome(phase, completedStatistics(), measuredTime(),
                lastProgress.memoryTransferredBytes(), detail);
    }

    private JobStatistics completedStatistics() {
        try {
            return onControl(() -> control.jobStatistics(vmName, true));
        } catch (LibvirtError e) {
            return JobStatistics.none();
        }
    }

    private void finish(MigrationOutcome result) {
        ticker.shutdownNow();
        synchronized (eventOrder) {
            finalEventEmitted = true;
            emit("migration." + result.phase().name().toLowerCase(Locale.ROOT), result.detail(),
                    MigrationFigures.attributes(vmName, result));
        }
        outcome.complete(result);
        controlLock.lock();
        try {
            controlClosed = true;
            close(control);
        } finally {
            controlLock.unlock();
        }
        if (stream != null) {
            close(stream);
        }
        onEnd.accept(this);
    }

    private void tick() {
        try {
            if (libvirtCall != null && !abortRequested.get()
                    && sinceStart().compareTo(libvirtCall.giveUpAfter()) > 0) {
                giveUp();
            }
            if (abortRequested.get() && !outcome.isDone()) {
                withConnection(() -> {
                    if (control.jobStatistics(vmName, false).active()) {
                        control.abortJob(vmName);
                    }
                    return null;
                });
            }
            MigrationProgress progress = progress();
            boolean running = switch (progress.phase()) {
                case COMPLETED, FAILED, CANCELLED -> false;
                default -> true;
            };
            synchronized (eventOrder) {
                if (!finalEventEmitted && endedAs == null && running) {
                    emit("migration.progress", MigrationFigures.message(vmName, progress),
                            MigrationFigures.attributes(vmName, progress));
                }
            }
        } catch (RuntimeException e) {
            logger.log(Level.DEBUG, "progress of the migration of {0}: {1}", vmName, e.getMessage());
        }
    }

    /** The watchdog: cancels a migration that outlived the policy's completion timeout, if it still can. */
    private void giveUp() {
        gaveUp = true;
        logger.log(Level.WARNING, "the migration of {0} has not ended within {1}, the policy''s completion timeout: "
                + "cancelling it", vmName, libvirtCall.giveUpAfter());
        try {
            abort();
        } catch (ExtensionException e) {
            logger.log(Level.WARNING, "the migration of {0} cannot be cancelled and runs on: {1}", vmName,
                    e.getMessage());
        }
    }

    private void tune(String what, Runnable call) {
        if (outcome.isDone()) {
            return;
        }
        try {
            withConnection(() -> {
                call.run();
                return null;
            });
        } catch (LibvirtError e) {
            if (outcome.isDone()) {
                return;
            }
            throw new ExtensionException(KvmErrorCode.MIGRATION_CONTROL_FAILED,
                    "the migration of '" + vmName + "' on " + sourceName + ": cannot " + what + ": " + e.getMessage(),
                    "check the value and that the migration still runs (virsh domjobinfo " + vmName + ")", e);
        }
    }

    /** Runs a call on the control connection, one at a time, unless the job has closed it (then empty). */
    private <T> Optional<T> withConnection(Supplier<T> call) {
        controlLock.lock();
        try {
            return controlClosed ? Optional.empty() : Optional.ofNullable(call.get());
        } finally {
            controlLock.unlock();
        }
    }

    /** A call on the control connection from the job's own thread, which alone closes it, after its last call. */
    private <T> T onControl(Supplier<T> call) {
        controlLock.lock();
        try {
            if (controlClosed) {
                throw new IllegalStateException("the connection of the job migrating '" + vmName + "' is closed");
            }
            return call.get();
        } finally {
            controlLock.unlock();
        }
    }

    private void close(LibvirtConnection connection) {
        try {
            connection.close();
        } catch (LibvirtError e) {
            logger.log(Level.DEBUG, "closing a libvirt connection of the job: {0}", e.getMessage());
        }
    }

    private MigrationProgress ended(MigrationOutcome done) {
        MigrationProgress last = lastProgress;
        return new MigrationProgress(done.phase(), done.totalTime(), last.iteration(), last.memoryTotalBytes(),
                done.bytesTransferred(), done.phase() == MigrationPhase.COMPLETED ? 0 : last.memoryRemainingBytes(),
                0, 0);
    }

    private MigrationProgress lastProgressAs(MigrationPhase phase) {
        MigrationProgress last = lastProgress;
        return new MigrationProgress(phase, sinceStart(), last.iteration(), last.memoryTotalBytes(),
                last.memoryTransferredBytes(), last.memoryRemainingBytes(), last.dirtyRateBytesPerSecond(),
                last.throughputBytesPerSecond());
    }

    /**
     * The whole migration as the caller lived it, from {@code migrate()} to the end (including libvirt's preparation of
     * the destination and its confirmation afterwards); unknown for an adopted job, whose start this process missed.
     */
    private Optional<Duration> measuredTime() {
        return libvirtCall == null ? Optional.empty() : Optional.of(sinceStart());
    }

    private Duration sinceStart() {
        Duration elapsed = Duration.between(started, clock.instant());
        return elapsed.isNegative() ? Duration.ZERO : elapsed;
    }

    private void emit(String type, String message, Map<String, String> attributes) {
        try {
            context.events().emit(new Event(clock.instant(), EVENT_SOURCE, type, message, attributes));
        } catch (RuntimeException e) {
            logger.log(Level.DEBUG, "event {0} not delivered: {1}", type, e.getMessage());
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
