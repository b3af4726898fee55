package io.livcloud.plugin.kvm;

import static io.livcloud.plugin.kvm.FakeLibvirt.migrating;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.kvm.libvirt.DomainState;
import io.livcloud.plugin.kvm.libvirt.JobStatistics;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.plugin.kvm.libvirt.MigrationFlag;
import io.livcloud.plugin.kvm.libvirt.MigrationParameter;
import io.livcloud.spi.Event;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.hypervisor.MigrationProgress;
import io.livcloud.spi.hypervisor.MigrationRequest;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.hypervisor.VmState;
import io.livcloud.testing.TestingExtensionContext;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Migrations driven through the SPI against {@link FakeLibvirt}: flags, progress, events, abort, outcome. */
class KvmMigrationJobTest {

    private static final String SOURCE = "qemu:///system?socket=/srv/lab/a/run/libvirt-sock";
    private static final String DESTINATION = "qemu+tcp://10.99.0.3/system";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final FakeLibvirt libvirt = new FakeLibvirt();
    private final FakeLibvirt.Host siteA = libvirt.host(SOURCE, "site-a");
    private final TestingExtensionContext context = new TestingExtensionContext("kvm");
    private final KvmHypervisor hypervisor = hypervisor(context);
    private final CountDownLatch release = new CountDownLatch(1);
    private FakeLibvirt.Domain tiny;
    private HypervisorConnection connection;

    @BeforeEach
    void connect() {
        tiny = siteA.domain("tiny", "domain-x86_64-running.xml", DomainState.RUNNING);
        connection = hypervisor.connect(SOURCE);
    }

    @AfterEach
    void close() {
        release.countDown();
        connection.close();
        eventually(() -> libvirt.openConnections() == 0, "every connection, the jobs' too, is closed");
    }

    @Test
    void aMigrationRunsReportsAndCompletes() {
        tiny.migration = FakeLibvirt.Migration.until(release, migrating(2, 67_000_000, 50_000_000, 17_000_000));

        MigrationJob job = connection.migrate(request(Set.of()));

        assertThat(job.vmName()).isEqualTo("tiny");
        assertThat(tiny.lastMigration.destinationUri()).isEqualTo(DESTINATION);
        assertThat(tiny.lastMigration.flags()).containsExactlyInAnyOrder(MigrationFlag.LIVE, MigrationFlag.PEER2PEER,
                MigrationFlag.PERSIST_DEST, MigrationFlag.ABORT_ON_ERROR);
        assertThat(tiny.lastMigration.parameters()).containsExactly(
                MigrationParameter.string("migrate_uri", "tcp://10.99.0.3:49152"),
                MigrationParameter.string("listen_address", "10.99.0.3"));
        assertThat(siteA.calls).startsWith("setMaxDowntime tiny 300", "migrate tiny " + DESTINATION);
        MigrationProgress progress = job.progress();
        assertThat(progress.phase()).isEqualTo(MigrationPhase.PRE_COPY);
        assertThat(progress.iteration()).isEqualTo(2);
        assertThat(progress.memoryRemainingBytes()).isEqualTo(17_000_000);
        assertThat(connection.activeMigration("tiny")).containsSame(job);
        assertThat(libvirt.openConnections()).as("the test's, and the job's two: the migrate call has one alone")
                .isEqualTo(3);
        eventually(() -> context.emitted("migration.progress").size() >= 3, "progress events at a steady interval");
        Event event = context.emitted("migration.progress").get(0);
        assertThat(event.source()).isEqualTo("hypervisor/kvm");
        assertThat(event.message()).startsWith("tiny: pre-copy pass 2, ");
        assertThat(event.attributes()).containsEntry("vm", "tiny").containsEntry("phase", "PRE_COPY")
                .containsEntry("memory-remaining-bytes", "17000000");
        assertThat(job.awaitCompletion(Duration.ofMillis(50))).as("still running").isEmpty();

        release.countDown();
        MigrationOutcome outcome = job.awaitCompletion(WAIT).orElseThrow();

        assertThat(outcome.phase()).isEqualTo(MigrationPhase.COMPLETED);
        assertThat(outcome.totalTime()).as("measured from migrate() to the end").isPositive().isLessThan(WAIT);
        assertThat(outcome.downtime()).contains(Duration.ofMillis(15));
        assertThat(outcome.bytesTransferred()).isEqualTo(70_000_000);
        assertThat(outcome.detail()).startsWith("'tiny' moved from site-a to " + DESTINATION + " in ")
                .endsWith(" (QEMU's part 1.2 s), downtime 15 ms, 3 passes; its definition on site-a was removed");
        assertThat(siteA.calls).endsWith("undefine tiny");
        assertThat(job.progress().phase()).isEqualTo(MigrationPhase.COMPLETED);
        Event last = context.emitted().get(context.emitted().size() - 1);
        assertThat(last.type()).as("nothing after the final event").isEqualTo("migration.completed");
        assertThat(last.attributes()).containsEntry("downtime-ms", "15").containsKey("total-ms");
        assertThat(connection.activeMigration("tiny")).isEmpty();
    }

    @Test
    void theOnlyMigrationOfAVmIsTheRunningOne() {
        tiny.migration = FakeLibvirt.Migration.until(release, migrating(1, 67_000_000, 1_000_000, 66_000_000));
        MigrationJob job = connection.migrate(request(Set.of()));

        assertThatThrownBy(() -> connection.migrate(request(Set.of())))
                .isInstanceOf(ExtensionException.class)
                .extracting(e -> ((ExtensionException) e).errorCode())
                .isEqualTo(KvmErrorCode.MIGRATION_IN_PROGRESS);
        try (HypervisorConnection another = hypervisor.connect(SOURCE)) {
            assertThat(another.activeMigration("tiny")).as("any connection of the hypervisor finds it")
                    .containsSame(job);
        }
    }

    @Test
    void abortCancelsAndTheVmStaysOnTheSource() {
        tiny.migration = FakeLibvirt.Migration.untilAborted(migrating(1, 67_000_000, 12_000_000, 55_000_000),
                release);
        MigrationJob job = connection.migrate(request(Set.of()));
        assertThat(job.progress().memoryTransferredBytes()).isEqualTo(12_000_000);

        job.abort();
        eventually(() -> tiny.activeJob.type() == JobStatistics.CANCELLED,
                "libvirt reports the job cancelled");
        assertThat(job.progress()).as("the last figures, not libvirt's empty ones")
                .extracting(MigrationProgress::phase, MigrationProgress::memoryTransferredBytes)
                .containsExactly(MigrationPhase.CANCELLED, 12_000_000L);
        release.countDown();
        MigrationOutcome outcome = job.awaitCompletion(WAIT).orElseThrow();

        assertThat(outcome.phase()).isEqualTo(MigrationPhase.CANCELLED);
        assertThat(outcome.downtime()).isEmpty();
        assertThat(outcome.bytesTransferred()).as("what was seen sent: libvirt keeps nothing").isEqualTo(12_000_000);
        assertThat(outcome.totalTime()).isPositive();
        assertThat(outcome.detail()).isEqualTo("cancelled: operation aborted: migration out job: canceled by client; "
                + "'tiny' keeps running on site-a");
        assertThat(siteA.calls).contains("abortJob tiny").doesNotContain("undefine tiny");
        assertThat(context.emitted("migration.cancelled")).hasSize(1);
        assertThat(context.emitted("migration.progress")).extracting(event -> event.attributes().get("phase"))
                .as("progress events are about a running migration").doesNotContain("CANCELLED");
        job.abort(); // ended: nothing to do
    }

    @Test
    void aMigrationThatOutlivesTheCompletionTimeoutIsCancelled() {
        tiny.migration = FakeLibvirt.Migration.untilAborted(migrating(40, 67_000_000, 900_000_000, 30_000_000));
        MigrationPolicy impatient = new MigrationPolicy(Duration.ofMillis(300), 0, Set.of(), 1, "zstd",
                Duration.ofMillis(100));

        MigrationJob job = connection.migrate(new MigrationRequest("tiny", DESTINATION, "", impatient));
        MigrationOutcome outcome = job.awaitCompletion(WAIT).orElseThrow();

        assertThat(outcome.phase()).isEqualTo(MigrationPhase.CANCELLED);
        assertThat(outcome.detail()).isEqualTo("cancelled after the policy's completion timeout of 100 ms (operation "
                + "aborted: migration out job: canceled by client); 'tiny' keeps running on site-a");
        assertThat(siteA.calls).contains("abortJob tiny");
    }

    @Test
    void aMigrationThatCannotStartIsAnExceptionAndChangesNothing() {
        tiny.migration = FakeLibvirt.Migration.failsToStart(new LibvirtError(LibvirtError.SYSTEM_ERROR,
                "unable to connect to server at '10.99.0.3:16509': Connection refused"));

        assertThatThrownBy(() -> connection.migrate(request(Set.of())))
                .isInstanceOf(ExtensionException.class)
                .hasMessage("the migration of 'tiny' from site-a to " + DESTINATION + " did not start: failed: unable "
                        + "to connect to server at '10.99.0.3:16509': Connection refused; 'tiny' keeps running on "
                        + "site-a")
                .satisfies(e -> {
                    ExtensionException failure = (ExtensionException) e;
                    assertThat(failure.errorCode()).isEqualTo(KvmErrorCode.MIGRATION_START_FAILED);
                    assertThat(failure.remedy()).contains("peer-to-peer", "tcp://10.99.0.3:49152");
                });
        assertThat(siteA.domains).containsKey("tiny");
    }

    /** QEMU's words, as libvirt 9.0 passed them on in the lab for a destination whose folder had no files. */
    private static final String MISSING_CREDENTIALS = "internal error: unable to execute QEMU command 'object-add':"
            + " Unable to access credentials /lab/sites/b/migration-tls/ca-cert.pem: No such file or directory";

    @Test
    void aTlsMigrationWhoseHostLacksTheMaterialIsRefusedAsSuchAndChangesNothing() {
        tiny.migration = FakeLibvirt.Migration.failsToStart(new LibvirtError(LibvirtError.INTERNAL_ERROR,
                MISSING_CREDENTIALS));

        assertThatThrownBy(() -> connection.migrate(request(Set.of(MigrationFeature.TLS, MigrationFeature.MULTIFD))))
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("with TLS did not start, because a host lacks its TLS material")
                .hasMessageContaining("ca-cert.pem: No such file or directory")
                .satisfies(e -> {
                    ExtensionException failure = (ExtensionException) e;
                    assertThat(failure.errorCode()).isEqualTo(KvmErrorCode.MIGRATION_TLS_UNAVAILABLE);
                    assertThat(failure.remedy()).contains("migrate_tls_x509_cert_dir", "server-cert.pem",
                            "migration-tls = true", "through the tunnel");
                });
        assertThat(siteA.domains).containsKey("tiny");
    }

    @Test
    void aTlsMigrationThatFailsForAnotherReasonIsAnOrdinaryStartFailure() {
        tiny.migration = FakeLibvirt.Migration.failsToStart(new LibvirtError(LibvirtError.SYSTEM_ERROR,
                "unable to connect to server at '10.99.0.3:16509': Connection refused"));

        assertThatThrownBy(() -> connection.migrate(request(Set.of(MigrationFeature.TLS))))
                .isInstanceOf(ExtensionException.class)
                .satisfies(e -> assertThat(((ExtensionException) e).errorCode())
                        .isEqualTo(KvmErrorCode.MIGRATION_START_FAILED));
    }

    @Test
    void withoutTlsACredentialsErrorIsNotBlamedOnTlsMaterial() {
        tiny.migration = FakeLibvirt.Migration.failsToStart(new LibvirtError(LibvirtError.INTERNAL_ERROR,
                MISSING_CREDENTIALS));

        assertThatThrownBy(() -> connection.migrate(request(Set.of())))
                .isInstanceOf(ExtensionException.class)
                .satisfies(e -> assertThat(((ExtensionException) e).errorCode())
                        .isEqualTo(KvmErrorCode.MIGRATION_START_FAILED));
    }

    @Test
    void aMigrationThatFailsOnTheWayEndsFailed() {
        tiny.migration = (domain, call) -> {
            domain.activeJob = migrating(1, 67_000_000, 30_000_000, 37_000_000);
            release.await();
            domain.activeJob = JobStatistics.none();
            throw new LibvirtError(LibvirtError.INTERNAL_ERROR,
                    "operation failed: job 'migration out' failed: Unable to write to socket: Broken pipe");
        };
        MigrationJob job = connection.migrate(request(Set.of()));
        job.progress();

        release.countDown();
        MigrationOutcome outcome = job.awaitCompletion(WAIT).orElseThrow();

        assertThat(outcome.phase()).isEqualTo(MigrationPhase.FAILED);
        assertThat(outcome.detail()).startsWith("failed: operation failed: job 'migration out' failed: Unable to write");
        assertThat(outcome.bytesTransferred()).as("the last figures seen").isEqualTo(30_000_000);
        assertThat(context.emitted("migration.failed")).hasSize(1);
    }

    @Test
    void refusesWhatCannotBeMigratedBeforeTouchingAnything() {
        siteA.domain("web1", "domain-kvm-disks-defined.xml", DomainState.SHUTOFF);
        MigrationPolicy compressed = new MigrationPolicy(Duration.ofMillis(300), 0,
                EnumSet.of(MigrationFeature.MULTIFD, MigrationFeature.COMPRESSION), 4, "zstd", Duration.ofMinutes(5));

        assertThatThrownBy(() -> connection.migrate(new MigrationRequest("nope", DESTINATION, "", policy(Set.of()))))
                .extracting(e -> ((ExtensionException) e).errorCode()).isEqualTo(KvmErrorCode.VM_NOT_FOUND);
        assertThatThrownBy(() -> connection.migrate(new MigrationRequest("web1", DESTINATION, "", policy(Set.of()))))
                .hasMessage("VM 'web1' on " + SOURCE + " is SHUT_OFF; a live migration needs it running")
                .extracting(e -> ((ExtensionException) e).errorCode()).isEqualTo(KvmErrorCode.VM_NOT_RUNNING);
        assertThatThrownBy(() -> connection.migrate(new MigrationRequest("tiny", DESTINATION, "", compressed)))
                .extracting(e -> ((ExtensionException) e).errorCode())
                .isEqualTo(KvmErrorCode.MIGRATION_FEATURE_UNSUPPORTED);
        assertThat(siteA.calls).isEmpty();
    }

    @Test
    void aRunningMigrationIsTuned() {
        tiny.migration = FakeLibvirt.Migration.until(release, migrating(3, 67_000_000, 60_000_000, 7_000_000));
        MigrationJob job = connection.migrate(request(Set.of(MigrationFeature.AUTO_CONVERGE)));

        job.setBandwidth(50L << 20);
        job.setBandwidth(0);
        job.setDowntimeLimit(Duration.ofMillis(500));
        job.enableAutoConverge();

        assertThat(siteA.calls).containsSubsequence("setMaxSpeed tiny 50", "setMaxSpeed tiny 8796093022207",
                "setMaxDowntime tiny 500");
        assertThatThrownBy(job::startPostCopy).isInstanceOf(IllegalStateException.class)
                .hasMessage("the migration of 'tiny' was not started with POST_COPY");
        assertThatThrownBy(() -> job.setBandwidth(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void autoConvergeCannotBeTurnedOnLater() {
        tiny.migration = FakeLibvirt.Migration.until(release, migrating(3, 67_000_000, 60_000_000, 7_000_000));
        MigrationJob job = connection.migrate(request(Set.of()));

        assertThatThrownBy(job::enableAutoConverge)
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("QEMU takes migration capabilities only before a migration starts");
    }

    @Test
    void postCopySwitchesAndCannotBeCancelledAfterwards() {
        tiny.migration = FakeLibvirt.Migration.until(release, migrating(4, 67_000_000, 60_000_000, 7_000_000));
        MigrationJob job = connection.migrate(request(Set.of(MigrationFeature.POST_COPY)));
        assertThat(tiny.lastMigration.flags()).contains(MigrationFlag.POSTCOPY);

        job.startPostCopy();

        assertThat(siteA.calls).contains("startPostCopy tiny");
        assertThat(job.progress().phase()).isEqualTo(MigrationPhase.POST_COPY);
        assertThatThrownBy(job::abort)
                .isInstanceOf(ExtensionException.class)
                .hasMessage("the migration of 'tiny' has switched to post-copy: the VM already runs on the "
                        + "destination and cannot return to site-a");
        release.countDown();
        assertThat(job.awaitCompletion(WAIT).map(MigrationOutcome::phase)).contains(MigrationPhase.COMPLETED);
    }

    @Test
    void aSourceDefinitionThatCannotBeRemovedIsNamedInTheOutcome() {
        tiny.undefineError = new LibvirtError(LibvirtError.OPERATION_INVALID,
                "Requested operation is not valid: cannot undefine domain with 1 snapshots");

        MigrationJob job = connection.migrate(request(Set.of()));

        assertThat(job.awaitCompletion(WAIT).orElseThrow().detail()).endsWith(
                "; site-a keeps a shut-off definition (Requested operation is not valid: cannot undefine domain with 1"
                        + " snapshots): remove it with virsh undefine tiny");
    }

    @Test
    void aCompletedMigrationCanKeepTheSourceDefinitionForRollback() {
        MigrationJob job = connection.migrate(new MigrationRequest("tiny", DESTINATION, "tcp://10.99.0.3:49152",
                policy(Set.of()), true));

        MigrationOutcome outcome = job.awaitCompletion(WAIT).orElseThrow();

        assertThat(outcome.phase()).isEqualTo(MigrationPhase.COMPLETED);
        assertThat(outcome.downtime()).as("the statistics are read all the same").contains(Duration.ofMillis(15));
        assertThat(outcome.detail()).endsWith("downtime 15 ms, 3 passes; its definition on site-a is kept for rollback");
        assertThat(siteA.calls).doesNotContain("undefine tiny");
        assertThat(connection.findVm("tiny").map(VmInfo::state)).contains(VmState.SHUT_OFF);

        connection.undefine("tiny"); // the rollback window has passed

        assertThat(connection.findVm("tiny")).isEmpty();
    }

    @Test
    void aMigrationStartedBeforeARestartIsFoundAndWatched() {
        tiny.activeJob = migrating(5, 67_000_000, 66_000_000, 1_000_000);
        KvmHypervisor restarted = hypervisor(context);

        try (HypervisorConnection afterRestart = restarted.connect(SOURCE)) {
            MigrationJob adopted = afterRestart.activeMigration("tiny").orElseThrow();

            assertThat(afterRestart.activeMigration("tiny")).containsSame(adopted);
            assertThat(adopted.progress().iteration()).isEqualTo(5);
            tiny.completeMigration(3000, 40, 80_000_000);
            MigrationOutcome outcome = adopted.awaitCompletion(WAIT).orElseThrow();

            assertThat(outcome.phase()).isEqualTo(MigrationPhase.COMPLETED);
            assertThat(outcome.downtime()).contains(Duration.ofMillis(40));
            assertThat(outcome.detail()).startsWith("'tiny' moved from site-a to its destination in 3.0 s")
                    .endsWith("; its definition on site-a is kept: this process did not start the migration and "
                            + "cannot tell whether it is needed for rollback (undefine removes it)");
            assertThat(siteA.domains).as("its request may have kept it for rollback").containsKey("tiny");
            assertThat(outcome.totalTime()).as("its start was missed: libvirt's figure").isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void anIdleVmHasNoActiveMigration() {
        siteA.domain("web1", "domain-kvm-disks-defined.xml", DomainState.SHUTOFF);

        assertThat(connection.activeMigration("tiny")).isEmpty();
        assertThat(connection.activeMigration("web1")).as("shut off: libvirt says 'domain is not running'").isEmpty();
        assertThat(connection.activeMigration("nope")).isEmpty();
    }

    @Test
    void whileLibvirtConfirmsTheSwitchOverTheSourceIsNotRunning() {
        tiny.migration = FakeLibvirt.Migration.until(release, migrating(2, 67_000_000, 66_000_000, 0));
        MigrationJob job = connection.migrate(request(Set.of()));
        tiny.state = new DomainState(DomainState.SHUTOFF, 3); // QEMU on the source stopped; the call has not returned

        assertThat(job.progress().phase()).isEqualTo(MigrationPhase.SWITCH_OVER);
        release.countDown();
        assertThat(job.awaitCompletion(WAIT).map(MigrationOutcome::phase)).contains(MigrationPhase.COMPLETED);
    }

    private KvmHypervisor hypervisor(TestingExtensionContext events) {
        return new KvmHypervisor(libvirt, KvmConfig.from(KvmConfigs.defaults()
                .with(KvmConfig.PROGRESS_INTERVAL.key(), Duration.ofMillis(20))), events, Optional::empty);
    }

    private static MigrationRequest request(Set<MigrationFeature> features) {
        return new MigrationRequest("tiny", DESTINATION, "tcp://10.99.0.3:49152", policy(features));
    }

    private static MigrationPolicy policy(Set<MigrationFeature> features) {
        return new MigrationPolicy(Duration.ofMillis(300), 0, features, 1, "zstd", Duration.ofMinutes(5));
    }

    private static void eventually(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
