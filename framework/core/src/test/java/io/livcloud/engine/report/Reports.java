package io.livcloud.engine.report;

import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.MigrationReport.Check;
import io.livcloud.engine.MigrationReport.LadderStep;
import io.livcloud.engine.MigrationReport.Pause;
import io.livcloud.engine.MigrationReport.PhaseMark;
import io.livcloud.engine.MigrationReport.Sample;
import io.livcloud.engine.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Migration reports for the tests: one realistic, and ways to make it odd. */
final class Reports {

    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    static final long GIB = 1L << 30;

    private Reports() {
    }

    /** 50 s from PLAN to DONE; TRANSFER from 5 s to 45 s with a sample every 2 s; a 120 ms pause at 45 s. */
    static MigrationReport typical() {
        return new MigrationReport(
                "m-20260301-0001",
                "web-1",
                "lab-a",
                "lab-b",
                Map.of("downtime-limit", "300ms", "multifd-channels", "4", "compression", "zstd"),
                START,
                at(50),
                Phase.DONE,
                "2.00 GiB in 40.1 s, pause 120 ms",
                typicalPhases(),
                typicalSamples(),
                List.of(new LadderStep(at(25), "downtime-limit 300ms -> 1s", "remaining memory grew over 3 passes")),
                List.of(new Check("architecture", true, "x86_64 on both sides", ""),
                        new Check("capacity", false, "destination has 1 GiB free, VM needs 2 GiB",
                                "free memory on lab-b or pick another site")),
                Optional.of(new Pause(at(45), Duration.ofMillis(120))),
                Optional.of(Duration.ofMillis(40_100)),
                2 * GIB + 12_345,
                Optional.of(Duration.ofMillis(900)));
    }

    static List<PhaseMark> typicalPhases() {
        return List.of(
                new PhaseMark(Phase.PLAN, at(0)),
                new PhaseMark(Phase.PREFLIGHT, at(1)),
                new PhaseMark(Phase.CHANNEL, at(2)),
                new PhaseMark(Phase.PREPARE, at(4)),
                new PhaseMark(Phase.TRANSFER, at(5)),
                new PhaseMark(Phase.SWITCH_OVER, at(45)),
                new PhaseMark(Phase.VERIFY, at(46)),
                new PhaseMark(Phase.CLEANUP, at(48)),
                new PhaseMark(Phase.DONE, at(50)));
    }

    /** 21 samples; the remaining bytes fall from 2 GiB, the dirty rate swings between 10 and 70 MiB/s. */
    static List<Sample> typicalSamples() {
        List<Sample> samples = new ArrayList<>();
        for (int index = 0; index <= 20; index++) {
            long remaining = 2 * GIB - index * (GIB / 10);
            long dirtyRate = (10 + (index * 37 % 61)) * (1L << 20);
            samples.add(new Sample(at(5 + 2 * index), index / 4, 2 * GIB - remaining, remaining, dirtyRate,
                    100L << 20));
        }
        return samples;
    }

    static Instant at(double secondsSinceStart) {
        return START.plusMillis(Math.round(secondsSinceStart * 1000));
    }

    /** The typical report, to be changed one part at a time. */
    static Builder typicalBuilder() {
        return new Builder(typical());
    }

    /** A copy of a report with some parts replaced; the record itself has no "with" methods. */
    static final class Builder {
        private String migrationId;
        private String vmName;
        private String fromSite;
        private String toSite;
        private Map<String, String> policy;
        private Instant startedAt;
        private Instant endedAt;
        private Phase finalPhase;
        private String detail;
        private List<PhaseMark> phases;
        private List<Sample> samples;
        private List<LadderStep> ladder;
        private List<Check> checks;
        private Optional<Pause> pause;
        private Optional<Duration> totalTransferTime;
        private long bytesTransferred;
        private Optional<Duration> clientInterruption;

        private Builder(MigrationReport report) {
            migrationId = report.migrationId();
            vmName = report.vmName();
            fromSite = report.fromSite();
            toSite = report.toSite();
            policy = report.policy();
            startedAt = report.startedAt();
            endedAt = report.endedAt();
            finalPhase = report.finalPhase();
            detail = report.detail();
            phases = report.phases();
            samples = report.samples();
            ladder = report.ladder();
            checks = report.checks();
            pause = report.pause();
            totalTransferTime = report.totalTransferTime();
            bytesTransferred = report.bytesTransferred();
            clientInterruption = report.clientInterruption();
        }

        Builder migrationId(String value) {
            migrationId = value;
            return this;
        }

        Builder vmName(String value) {
            vmName = value;
            return this;
        }

        Builder sites(String from, String to) {
            fromSite = from;
            toSite = to;
            return this;
        }

        Builder policy(Map<String, String> value) {
            policy = value;
            return this;
        }

        Builder endedAt(Instant value) {
            endedAt = value;
            return this;
        }

        Builder finalPhase(Phase value) {
            finalPhase = value;
            return this;
        }

        Builder detail(String value) {
            detail = value;
            return this;
        }

        Builder phases(List<PhaseMark> value) {
            phases = value;
            return this;
        }

        Builder samples(List<Sample> value) {
            samples = value;
            return this;
        }

        Builder ladder(List<LadderStep> value) {
            ladder = value;
            return this;
        }

        Builder checks(List<Check> value) {
            checks = value;
            return this;
        }

        Builder pause(Optional<Pause> value) {
            pause = value;
            return this;
        }

        Builder totalTransferTime(Optional<Duration> value) {
            totalTransferTime = value;
            return this;
        }

        Builder bytesTransferred(long value) {
            bytesTransferred = value;
            return this;
        }

        Builder clientInterruption(Optional<Duration> value) {
            clientInterruption = value;
            return this;
        }

        MigrationReport build() {
            return new MigrationReport(migrationId, vmName, fromSite, toSite, policy, startedAt, endedAt, finalPhase,
                    detail, phases, samples, ladder, checks, pause, totalTransferTime, bytesTransferred,
                    clientInterruption);
        }
    }
}
