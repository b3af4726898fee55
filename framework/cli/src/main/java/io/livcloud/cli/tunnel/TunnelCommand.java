package io.livcloud.cli.tunnel;

import io.livcloud.LivCloud;
import io.livcloud.TunnelInfo;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.cli.OutputOption;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelState;
import io.livcloud.spi.tunnel.TunnelStatus;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livcloud tunnel}: the encrypted tunnel between two sites' gateways, with the tunnel extension configuration
 * selects ({@code livcloud.migration.tunnel}).
 */
@Command(name = "tunnel", mixinStandardHelpOptions = true,
        description = "Bring the encrypted tunnel between two sites up, show it, take it down.",
        subcommands = {TunnelCommand.Up.class, TunnelCommand.Status.class, TunnelCommand.Down.class})
public final class TunnelCommand {

    @ParentCommand
    LivCloudCli cli;

    /** {@code livcloud tunnel up A B}. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Bring the tunnel from site FROM (which initiates) to site TO up, and check that traffic "
                    + "crosses it; idempotent. Exit code 1 unless it is up and carries traffic.")
    public static final class Up implements Callable<Integer> {

        @ParentCommand
        TunnelCommand tunnel;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Parameters(index = "0", paramLabel = "FROM", description = "The site that initiates.")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "The other site.")
        String to;

        @Option(names = "--authentication", paramLabel = "KIND", defaultValue = "psk",
                description = "psk (a generated pre-shared key) or certificate (X.509 from an authority made for this "
                        + "tunnel); default: ${DEFAULT-VALUE}.")
        Authentication authentication;

        @Option(names = "--option", paramLabel = "KEY=VALUE",
                description = "A tunnel option of the extension, e.g. esp-proposals=aes128gcm16 (repeatable).")
        Map<String, String> options = new LinkedHashMap<>();

        @Option(names = "--no-stretch", description = "Do not stretch the VM segment both sites share over the tunnel"
                + " (by default it is, so that a VM keeps its address when it moves).")
        boolean noStretch;

        @Override
        public Integer call() {
            try (LivCloud livCloud = tunnel.cli.open(false)) {
                PrintWriter out = spec.commandLine().getOut();
                if (!output.json()) {
                    // Which data path was chosen and why, then how long it took: the extension reports both.
                    livCloud.subscribe(event -> {
                        if (event.type().startsWith("tunnel.")) {
                            out.println(event.message());
                            out.flush();
                        }
                    });
                }
                TunnelInfo info = livCloud.tunnelUp(from, to, authentication.kind, options, !noStretch);
                print(out, output, List.of(info));
                return info.status().state() == TunnelState.UP ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }
    }

    /** {@code livcloud tunnel status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Every tunnel: state, data path, since when, traffic in and out.")
    public static final class Status implements Callable<Integer> {

        @ParentCommand
        TunnelCommand tunnel;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Option(names = "--check", description = "Also send traffic through each tunnel and see it come back.")
        boolean check;

        @Override
        public Integer call() {
            try (LivCloud livCloud = tunnel.cli.open(false)) {
                List<TunnelInfo> tunnels = livCloud.tunnels(check);
                PrintWriter out = spec.commandLine().getOut();
                if (tunnels.isEmpty() && !output.json()) {
                    out.println("no tunnel (livcloud tunnel up FROM TO brings one up)");
                    out.flush();
                    return ExitCodes.OK;
                }
                print(out, output, tunnels);
                return ExitCodes.OK;
            }
        }
    }

    /** {@code livcloud tunnel down}. */
    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Take a tunnel down on both gateways and forget its key; idempotent.")
    public static final class Down implements Callable<Integer> {

        @ParentCommand
        TunnelCommand tunnel;

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..2", paramLabel = "SITE|ID",
                description = "The tunnel's id (FROM-TO, as tunnel status shows), or its two sites.")
        List<String> names;

        @Override
        public Integer call() {
            String id = names.size() == 2 ? LivCloud.tunnelId(names.get(0), names.get(1)) : names.get(0);
            try (LivCloud livCloud = tunnel.cli.open(false)) {
                boolean existed = livCloud.tunnelDown(id);
                PrintWriter out = spec.commandLine().getOut();
                out.println(existed ? "tunnel " + id + ": down" : "tunnel " + id + ": there is no such tunnel");
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    /** The names {@code --authentication} takes. */
    enum Authentication {
        psk(TunnelAuthentication.PRE_SHARED_KEY),
        certificate(TunnelAuthentication.CERTIFICATE);

        final TunnelAuthentication kind;

        Authentication(TunnelAuthentication kind) {
            this.kind = kind;
        }
    }

    static void print(PrintWriter out, OutputOption output, List<TunnelInfo> tunnels) {
        if (output.json()) {
            out.println(Json.write(Map.of("tunnels", tunnels.stream().map(TunnelCommand::document).toList())));
        } else {
            for (TunnelInfo info : tunnels) {
                TunnelStatus status = info.status();
                out.printf("tunnel %s: %s, %s <-> %s, %s%n", info.id(), status.state(), info.spec().local().subnet(),
                        info.spec().remote().subnet(), status.dataPath());
                out.printf("  %s%n", status.detail());
                status.establishedSince().ifPresent(since -> out.printf("  established %s; in %d bytes / %d packets,"
                        + " out %d bytes / %d packets%n", since, status.traffic().bytesIn(),
                        status.traffic().packetsIn(), status.traffic().bytesOut(), status.traffic().packetsOut()));
                info.stretches().forEach(stretch -> out.printf("  %s%s%n", stretch.joined() ? "stretched: "
                        : "NOT stretched: ", stretch.detail()));
            }
        }
        out.flush();
    }

    static Map<String, Object> document(TunnelInfo info) {
        TunnelStatus status = info.status();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("id", info.id());
        document.put("from", info.spec().local().siteName());
        document.put("to", info.spec().remote().siteName());
        document.put("fromSubnet", info.spec().local().subnet());
        document.put("toSubnet", info.spec().remote().subnet());
        document.put("state", status.state().name());
        document.put("dataPath", status.dataPath());
        document.put("establishedSince", status.establishedSince().map(Object::toString).orElse(null));
        document.put("bytesIn", status.traffic().bytesIn());
        document.put("bytesOut", status.traffic().bytesOut());
        document.put("packetsIn", status.traffic().packetsIn());
        document.put("packetsOut", status.traffic().packetsOut());
        document.put("detail", status.detail());
        document.put("stretches", info.stretches().stream().map(stretch -> Map.of("joined", stretch.joined(),
                "detail", stretch.detail())).toList());
        return document;
    }
}
