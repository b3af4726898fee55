package io.livcloud.cli.migration;

import io.livcloud.LivCloud;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.cli.OutputOption;
import io.livcloud.engine.EngineEvent;
import io.livcloud.engine.MigrationEngine;
import io.livcloud.engine.MigrationResult;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livcloud migrate}: one live migration through the engine — preflight, tunnel, transfer with the convergence
 * ladder, switch-over, verification — journaled phase by phase, with a live progress line (or JSON lines) and a
 * report. Ctrl-C aborts: before the switch-over the VM keeps running at the source.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Live-migrate a running VM to another site through the tunnel, with the journaled engine.",
                "Exit code 0 when the VM runs at the destination, 1 otherwise (the output says where it runs)."})
public final class MigrateCommand implements java.util.concurrent.Callable<Integer> {

    @ParentCommand
    LivCloudCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOption output;

    @Mixin
    PolicyOptions policy;

    @Parameters(index = "0", paramLabel = "VM", description = "The VM's name.")
    String vmName;

    @Option(names = "--from", paramLabel = "SITE", description = "The site it runs at (default: found by asking each"
            + " site's hypervisor).")
    String from;

    @Option(names = "--to", required = true, paramLabel = "SITE", description = "The site to move it to.")
    String to;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (LivCloud livCloud = cli.open(false)) {
            MigrationEngine engine = livCloud.migrations();
            EventPrinter printer = new EventPrinter(out, output.json());
            for (MigrationResult resumed : engine.resume(printer)) {
                out.printf("an interrupted migration was settled first: %s %s: %s%n", resumed.migrationId(),
                        resumed.finalPhase(), resumed.detail());
            }
            AtomicReference<String> migrationId = new AtomicReference<>();
            CountDownLatch finished = new CountDownLatch(1);
            Thread abortOnInterrupt = new Thread(() -> {
                Optional.ofNullable(migrationId.get()).ifPresent(engine::abort);
                try {
                    // Let the engine roll back and journal it before the JVM goes.
                    finished.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "livcloud-migrate-abort");
            Runtime.getRuntime().addShutdownHook(abortOnInterrupt);
            try {
                MigrationResult result = engine.migrate(vmName, Optional.ofNullable(from), to, policy.over(livCloud.migrationPolicy()),
                        event -> {
                            migrationId.compareAndSet(null, event.migrationId());
                            printer.accept(event);
                        });
                printer.finish(result);
                return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILURE;
            } finally {
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(abortOnInterrupt);
                } catch (IllegalStateException e) {
                    // Shutting down already: the hook is running.
                }
            }
        }
    }

    /** Prints engine events: a live progress line on a terminal, plain lines otherwise, or JSON lines. */
    public static final class EventPrinter implements java.util.function.Consumer<EngineEvent> {
        private final PrintWriter out;
        private final boolean json;
        private final ProgressLine progress;

        public EventPrinter(PrintWriter out, boolean json) {
            this.out = out;
            this.json = json;
            this.progress = new ProgressLine(out, System.console() != null);
        }

        @Override
        public synchronized void accept(EngineEvent event) {
            if (json) {
                out.println(Json.writeLine(EventDocuments.of(event)));
                out.flush();
                return;
            }
            if (event.type().equals("progress")) {
                event.progress().ifPresent(figures -> progress.show(event.phase(), figures));
                return;
            }
            progress.clear();
            out.println(event.message());
            out.flush();
        }

        public void finish(MigrationResult result) {
            if (json) {
                return;
            }
            progress.clear();
            out.printf("%s %s in %.1f s%s; the VM runs at %s%n", result.migrationId(), result.finalPhase(),
                    result.totalTime().toMillis() / 1000.0, result.downtime().map(downtime -> ", pause "
                            + downtime.toMillis() + " ms").orElse(""), result.runsOn());
            result.htmlReport().ifPresent(report -> out.println("report: " + report));
            out.flush();
        }
    }
}
