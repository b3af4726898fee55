package io.livcloud.labtools;

import io.livcloud.LivCloud;
import io.livcloud.PluginState;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livcloud bench}: measurements in the lab, each against a baseline measured in the same run. Figures, not
 * verdicts on the build: nothing here fails on speed; the targets are printed met or not met beside the figures.
 * Without a subcommand it runs everything ({@code bench all}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure in the lab (as root), each figure against a baseline measured in the same run: a "
                + "markdown table on standard output, progress on standard error; with --output-dir also JSON "
                + "(livcloud-bench/1) and an SVG chart.",
                "Without a subcommand: all of them."},
        subcommands = {BenchCommand.All.class, BenchCommand.Migration.class, BenchCommand.Tunnel.class,
                BenchCommand.ControlPlane.class, BenchCommand.PluginLoad.class})
final class BenchCommand implements Callable<Integer> {

    @ParentCommand
    LivCloudCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions options;

    @Mixin
    MigrationOptions migration;

    @Override
    public Integer call() throws Exception {
        return run(cli, spec, options, migration, EnumSet.allOf(BenchRun.Part.class));
    }

    static int run(LivCloudCli cli, CommandSpec spec, BenchOptions options, MigrationOptions migration,
            Set<BenchRun.Part> parts) throws Exception {
        BenchSettings settings = BenchSettings.of(options, migration);
        return new BenchRun(cli, options, settings, parts, spec.commandLine().getOut(), spec.commandLine().getErr())
                .run();
    }

    /** A part (or all) of the bench: the options every part takes, and which parts it runs. */
    abstract static class PartCommand implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;

        @Spec
        CommandSpec spec;

        @Mixin
        BenchOptions options;

        abstract Set<BenchRun.Part> parts();

        /** The migration options, for the parts that migrate; null for the others. */
        MigrationOptions migrationOptions() {
            return null;
        }

        @Override
        public Integer call() throws Exception {
            return run(bench.cli, spec, options, migrationOptions(), parts());
        }
    }

    /** A part that migrates: it takes the migration options too. */
    abstract static class MigratingPartCommand extends PartCommand {
        @Mixin
        MigrationOptions migration;

        @Override
        MigrationOptions migrationOptions() {
            return migration;
        }
    }

    /** {@code livcloud bench all}: the tunnel, the migrations and the control plane. */
    @Command(name = "all", mixinStandardHelpOptions = true,
            description = "Everything: tunnel throughput, migrations at each dirty rate (baseline and LivCloud), the "
                    + "control plane.")
    static final class All extends MigratingPartCommand {
        @Override
        Set<BenchRun.Part> parts() {
            return EnumSet.allOf(BenchRun.Part.class);
        }
    }

    /** {@code livcloud bench migration}: the baseline against LivCloud at each dirty rate, through the tunnel. */
    @Command(name = "migration", mixinStandardHelpOptions = true,
            description = {"A 256 MiB lab guest (64 MiB working set) moved through the tunnel at each dirty rate, "
                    + "--runs times each: virsh migrate --live --p2p with libvirt's defaults (the baseline), then "
                    + "LivCloud's engine with the configured policy (and each --variant). The guest goes back idle "
                    + "between runs. The tunnel's throughput is measured too: it gives the physical floor."})
    static final class Migration extends MigratingPartCommand {
        @Override
        Set<BenchRun.Part> parts() {
            return EnumSet.of(BenchRun.Part.MIGRATION);
        }
    }

    /** {@code livcloud bench tunnel [FROM TO]}: iperf3 through the tunnel against the raw link. */
    @Command(name = "tunnel", mixinStandardHelpOptions = true,
            description = "TCP throughput (iperf3, one stream) from FROM to TO through the tunnel, against the raw "
                    + "link between the two gateways; brings the sites and the tunnel up if needed. Lab sites only: "
                    + "the gateways must be network namespaces on this machine.")
    static final class Tunnel extends PartCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "FROM", description = "The sending site (as --from).")
        String from;

        @Parameters(index = "1", arity = "0..1", paramLabel = "TO", description = "The receiving site (as --to).")
        String to;

        @Override
        Set<BenchRun.Part> parts() {
            return EnumSet.of(BenchRun.Part.TUNNEL);
        }

        @Override
        public Integer call() throws Exception {
            if (from != null) {
                options.from = from;
            }
            if (to != null) {
                options.to = to;
            }
            return super.call();
        }
    }

    /** {@code livcloud bench control-plane}: what LivCloud costs around the hypervisor. */
    @Command(name = "control-plane", mixinStandardHelpOptions = true,
            description = "In child processes started as a user starts livcloud: livcloud --version (against a bare"
                    + " JVM), starting LivCloud with all plugins (against none), and livcloud migrate of the idle lab"
                    + " guest (against the hypervisor's own total time).")
    static final class ControlPlane extends PartCommand {
        @Override
        Set<BenchRun.Part> parts() {
            return EnumSet.of(BenchRun.Part.CONTROL_PLANE);
        }
    }

    /**
     * Starts LivCloud once in this (fresh) JVM and prints how long that took, as JSON: what {@code control-plane}
     * spawns to time plugin loading without the JVM's own start.
     */
    @Command(name = "plugin-load", hidden = true)
    static final class PluginLoad implements Callable<Integer> {
        @ParentCommand
        BenchCommand bench;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            long started = System.nanoTime();
            try (LivCloud livCloud = bench.cli.open(false)) {
                double millis = (System.nanoTime() - started) / 1e6;
                long plugins = livCloud.plugins().stream().filter(plugin -> plugin.state() == PluginState.STARTED)
                        .count();
                spec.commandLine().getOut().println(Json.writeLine(java.util.Map.of("millis", millis, "plugins",
                        plugins)));
                spec.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }
    }
}
