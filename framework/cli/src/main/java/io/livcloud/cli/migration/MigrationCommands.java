package io.livcloud.cli.migration;

import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.cli.OutputOption;
import io.livcloud.engine.MigrationPlan;
import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.MigrationResult;
import io.livcloud.engine.journal.MigrationRecord;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The engine's other commands: plan, status, abort, resume, history. */
public final class MigrationCommands {

    private MigrationCommands() {
    }

    /** {@code livcloud plan VM --to SITE}. */
    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Show what migrating a VM would do — route, every check, every step, the risks — changing"
                    + " nothing. Exit code 1 if a check fails.")
    public static final class Plan implements Callable<Integer> {
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

        @Option(names = "--from", paramLabel = "SITE", description = "The site it runs at (default: found).")
        String from;

        @Option(names = "--to", required = true, paramLabel = "SITE", description = "The site to move it to.")
        String to;

        @Override
        public Integer call() {
            try (LivCloud livCloud = cli.open(false)) {
                MigrationPlan plan = livCloud.migrations().plan(vmName, Optional.ofNullable(from), to,
                        policy.over(livCloud.migrationPolicy()));
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    out.println(Json.write(document(plan)));
                } else {
                    print(out, plan);
                }
                out.flush();
                return plan.feasible() ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }

        private static void print(PrintWriter out, MigrationPlan plan) {
            out.printf("plan: %s from %s to %s, %s%n", plan.vmName(), plan.fromSite(), plan.toSite(), plan.path());
            out.println("checks:");
            for (MigrationReport.Check check : plan.checks()) {
                out.printf("  %s %s: %s%s%n", check.passed() ? "ok  " : "FAIL", check.name(), check.detail(),
                        check.passed() ? "" : "\n       fix: " + check.remedy());
            }
            out.println("steps:");
            plan.steps().forEach(step -> out.println("  " + step));
            out.println("policy: " + plan.policy());
            plan.warnings().forEach(warning -> out.println("warning: " + warning));
            out.println(plan.feasible() ? "nothing was changed; livcloud migrate " + plan.vmName() + " --to "
                    + plan.toSite() + " runs it" : "nothing was changed; the failed checks say what to fix");
        }

        private static Map<String, Object> document(MigrationPlan plan) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("vm", plan.vmName());
            document.put("from", plan.fromSite());
            document.put("to", plan.toSite());
            document.put("path", plan.path());
            document.put("feasible", plan.feasible());
            document.put("checks", plan.checks().stream().map(check -> Map.of("name", check.name(), "passed",
                    check.passed(), "detail", check.detail(), "remedy", check.remedy())).toList());
            document.put("steps", plan.steps());
            document.put("policy", plan.policy());
            document.put("warnings", plan.warnings());
            return document;
        }
    }

    /** {@code livcloud status [ID]}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The migrations that have not ended (or one migration): phase, since when, who runs it.")
    public static final class Status implements Callable<Integer> {
        @ParentCommand
        LivCloudCli cli;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "A migration's id.")
        String id;

        @Override
        public Integer call() {
            try (LivCloud livCloud = cli.open(false)) {
                List<MigrationRecord> records = id == null ? livCloud.journal().unfinished()
                        : List.of(livCloud.journal().find(id).orElseThrow(() -> unknown(id)));
                printRecords(spec.commandLine().getOut(), output, records, id == null
                        ? "no migration is running (livcloud history lists the ended ones)" : "");
                return ExitCodes.OK;
            }
        }
    }

    /** {@code livcloud history}. */
    @Command(name = "history", mixinStandardHelpOptions = true, description = "The latest migrations, newest first.")
    public static final class History implements Callable<Integer> {
        @ParentCommand
        LivCloudCli cli;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Option(names = "--limit", defaultValue = "20", description = "How many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            try (LivCloud livCloud = cli.open(false)) {
                printRecords(spec.commandLine().getOut(), output, livCloud.journal().history(limit),
                        "no migration yet");
                return ExitCodes.OK;
            }
        }
    }

    /** {@code livcloud abort ID}. */
    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Ask a running migration to stop: before the switch-over the VM keeps running at the source"
                    + " and the destination is cleaned. The orchestrator running it acts within a second.")
    public static final class Abort implements Callable<Integer> {
        @ParentCommand
        LivCloudCli cli;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "The migration's id (livcloud status).")
        String id;

        @Override
        public Integer call() {
            try (LivCloud livCloud = cli.open(false)) {
                MigrationRecord record = livCloud.journal().find(id).orElseThrow(() -> unknown(id));
                PrintWriter out = spec.commandLine().getOut();
                if (record.endedAt().isPresent()) {
                    out.printf("migration %s has already ended: %s%n", id, record.phase());
                } else {
                    livCloud.journal().requestAbort(id);
                    out.printf("migration %s: abort requested (it is in %s); livcloud status %s follows it%n", id,
                            record.phase(), id);
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    /** {@code livcloud resume}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Settle migrations whose orchestrator stopped (killed, crashed): ask both hypervisors what"
                    + " runs, then finish or roll back so that exactly one copy of each VM runs.")
    public static final class Resume implements Callable<Integer> {
        @ParentCommand
        LivCloudCli cli;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Override
        public Integer call() {
            try (LivCloud livCloud = cli.open(false)) {
                PrintWriter out = spec.commandLine().getOut();
                MigrateCommand.EventPrinter printer = new MigrateCommand.EventPrinter(out, output.json());
                List<MigrationResult> results = livCloud.migrations().resume(printer);
                if (results.isEmpty() && !output.json()) {
                    out.println("nothing to resume: no migration was left by a stopped orchestrator");
                }
                results.forEach(printer::finish);
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    private static LivCloudException unknown(String id) {
        return new LivCloudException("no migration " + id + " in the journal", "livcloud history lists them");
    }

    private static void printRecords(PrintWriter out, OutputOption output, List<MigrationRecord> records,
            String none) {
        if (output.json()) {
            out.println(Json.write(Map.of("migrations", records.stream().map(MigrationCommands::document).toList())));
        } else if (records.isEmpty()) {
            out.println(none);
        } else {
            for (MigrationRecord record : records) {
                out.printf("%s  %-11s %s %s -> %s  started %s%s%n    %s%n", record.id(), record.phase(),
                        record.vmName(), record.fromSite(), record.toSite(), record.startedAt(),
                        record.ownerPid().map(pid -> ", run by pid " + pid).orElse(""), record.detail());
                Optional.ofNullable(record.context().get("report")).ifPresent(report ->
                        out.printf("    report: %s%n", report));
            }
        }
        out.flush();
    }

    private static Map<String, Object> document(MigrationRecord record) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", record.id());
        document.put("vm", record.vmName());
        document.put("from", record.fromSite());
        document.put("to", record.toSite());
        document.put("phase", record.phase().name());
        document.put("startedAt", record.startedAt().toString());
        document.put("endedAt", record.endedAt().map(Object::toString).orElse(null));
        document.put("detail", record.detail());
        document.put("ownerPid", record.ownerPid().orElse(null));
        document.put("abortRequested", record.abortRequested());
        document.put("report", record.context().get("report"));
        return document;
    }
}
