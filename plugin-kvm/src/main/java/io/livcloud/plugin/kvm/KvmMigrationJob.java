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
import java.util.function.Consumer;

/**
 * One outgoing live migration on a source host, over libvirt connections of its own ({@link JobConnections}, closed
 * when the job ends). The call it makes is a {@link LibvirtMigrationCall}; this class watches it, controls it and
 * tells its end.
 *
 * <p>A job the plugin {@linkplain #start started} runs the blocking {@code virDomainMigrateToURI3} on a thread of its
 * own. A job found running in libvirt ({@linkplain #adopt adopted}, e.g. after LivCloud restarted) is watched by
 * polling until libvirt reports no job. Both emit a {@code migration.progress} event every progress interval and one
 * {@code migration.completed}, {@code migration.failed} or {@code migration.cancelled} event at the end.
 *
 * <p>Its outcomes are written by {@link JobOutcomes}. What is left here stays one class although it is long: the
 * job's state (its outcome, the phase it ended in, its last progress, an abort asked for, the watchdog's verdict) is
 * shared by three threads, the migrate or watch thread, the progress ticker and the caller's, and read and written
 * under one order of events; splitting it would spread that order over several classes.
 */
final class KvmMigrationJob implements MigrationJob {

    static final String EVENT_SOURCE = "hypervisor/kvm";

    private static final Duration START_POLL = Duration.ofMillis(50);

    private final String vmName;
    private final String sourceName;
    private final String destinationUri;
    private final JobConnections connections;
    private final JobOutcomes outcomes;
    private final LibvirtMigrationCall libvirtCall;
    private final Clock clock;
    private final ExtensionContext context;
    private final System.Logger logger;
    private final Instant started;
    private final CompletableFuture<MigrationOutcome> outcome = new CompletableFuture<>();
    private final AtomicBoolean abortRequested = new AtomicBoolean();
    /** Set when the watchdog cancelled the migration: the policy's completion timeout passed. */
    private volatile boolean gaveUp;
    private final ScheduledExecutorService ticker;
    private final Consumer<KvmMigrationJob> onEnd;
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
        this.libvirtCall = libvirtCall;
        this.context = Objects.requireNonNull(context, "context is null");
        this.clock = context.clock();
        this.logger = context.logger(KvmMigrationJob.class.getName());
        this.connections = new JobConnections(vmName, control, stream, logger);
        this.outcomes = new JobOutcomes(vmName, sourceName, destinationUri, libvirtCall, connections,
                this::sinceStart, () -> lastProgress);
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
            Optional<JobStatistics> read = connections.ifOpen(libvirt -> libvirt.jobStatistics(vmName, false));
            Optional<DomainState> readState = connections.ifOpen(libvirt -> libvirt.domainState(vmName));
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
        tune("set the downtime limit", libvirt -> libvirt.setMaxDowntime(vmName, downtimeLimit));
    }

    @Override
    public void setBandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth must be >= 0, 0 for no cap");
        }
        long mebibytes = bytesPerSecond == 0
                ? LibvirtMigrationCall.UNLIMITED_MEBIBYTES_PER_SECOND
                : LibvirtMigrationCall.mebibytesPerSecond(bytesPerSecond);
        tune("set the bandwidth", libvirt -> libvirt.setMaxSpeed(vmName, mebibytes));
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
        tune("switch to post-copy", libvirt -> libvirt.startPostCopy(vmName));
    }

    @Override
    public void abort() {
        if (outcome.isDone()) {
            return;
        }
        abortRequested.set(true);
        try {
            Optional<DomainState> state = connections.ifOpen(libvirt -> libvirt.domainState(vmName));
            if (state.isPresent() && state.get().state() == DomainState.PAUSED
                    && state.get().reason() == DomainState.PAUSED_POSTCOPY) {
                throw new ExtensionException(KvmErrorCode.MIGRATION_CONTROL_FAILED,
                        "the migration of '" + vmName + "' has switched to post-copy: the VM already runs on the "
                                + "destination and cannot return to " + sourceName,
                        "let the post-copy phase finish");
            }
            connections.ifOpen(libvirt -> {
                libvirt.abortJob(vmName);
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
                Optional<JobStatistics> statistics =
                        connections.ifOpen(libvirt -> libvirt.jobStatistics(vmName, false));
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
            connections.migrate(destinationUri, libvirtCall);
            endedAs = MigrationPhase.COMPLETED;
            finish(outcomes.completed());
        } catch (LibvirtError e) {
            boolean cancelled = abortRequested.get() || e.code() == LibvirtError.OPERATION_ABORTED;
            endedAs = cancelled ? MigrationPhase.CANCELLED : MigrationPhase.FAILED;
            finish(outcomes.unsuccessful(endedAs, e.getMessage(), gaveUp));
        } catch (RuntimeException | Error e) {
            endedAs = MigrationPhase.FAILED;
            finish(outcomes.unsuccessful(MigrationPhase.FAILED, "internal error: " + e, gaveUp));
        }
    }

    private void watch(Duration interval) {
        try {
            while (true) {
                Thread.sleep(interval.toMillis());
                JobStatistics statistics;
                try {
                    statistics = connections.onControl(libvirt -> libvirt.jobStatistics(vmName, false));
                } catch (LibvirtError e) {
                    if (e.code() == LibvirtError.NO_DOMAIN) {
                        endedAs = MigrationPhase.COMPLETED; // a transient domain disappears from a source it left
                        finish(outcomes.completed());
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
            JobStatistics completed = outcomes.statistics();
            endedAs = switch (completed.type()) {
                case JobStatistics.CANCELLED -> MigrationPhase.CANCELLED;
                case JobStatistics.FAILED -> MigrationPhase.FAILED;
                case JobStatistics.COMPLETED -> MigrationPhase.COMPLETED;
                default -> connections.onControl(libvirt -> libvirt.domainState(vmName)).active()
                        ? MigrationPhase.FAILED : MigrationPhase.COMPLETED;
            };
            finish(endedAs == MigrationPhase.COMPLETED
                    ? outcomes.completed()
                    : outcomes.unsuccessful(endedAs, completed.text(JobStatistics.ERROR_MESSAGE)
                            .orElse("the migration ended without success"), gaveUp));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(outcomes.unsuccessful(MigrationPhase.FAILED, "stopped watching: interrupted", gaveUp));
        } catch (RuntimeException e) {
            finish(outcomes.unsuccessful(MigrationPhase.FAILED, "stopped watching: " + e.getMessage(), gaveUp));
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
        connections.close();
        onEnd.accept(this);
    }

    private void tick() {
        try {
            if (libvirtCall != null && !abortRequested.get()
                    && sinceStart().compareTo(libvirtCall.giveUpAfter()) > 0) {
                giveUp();
            }
            if (abortRequested.get() && !outcome.isDone()) {
                connections.ifOpen(libvirt -> {
                    if (libvirt.jobStatistics(vmName, false).active()) {
                        libvirt.abortJob(vmName);
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

    private void tune(String what, Consumer<LibvirtConnection> call) {
        if (outcome.isDone()) {
            return;
        }
        try {
            connections.ifOpen(libvirt -> {
                call.accept(libvirt);
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
