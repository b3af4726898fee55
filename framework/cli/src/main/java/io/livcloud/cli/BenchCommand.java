package io.livcloud.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.TunnelInfo;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livcloud bench}: measurements in the lab, each against a baseline measured in the same run. Figures, not
 * verdicts: nothing here passes or fails on speed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure in the lab, against a baseline measured in the same run.",
        subcommands = {BenchCommand.Tunnel.class})
final class BenchCommand {

    @ParentCommand
    LivCloudCli cli;

    /** {@code livcloud bench tunnel A B}: iperf3 through the tunnel against the raw link between the gateways. */
    @Command(name = "tunnel", mixinStandardHelpOptions = true,
            description = "TCP throughput (iperf3, one stream) from FROM to TO through the tunnel, against the raw "
                    + "link between the two gateways; brings the tunnel up if needed. Lab sites only: the gateways "
                    + "must be network namespaces on this machine.")
    static final class Tunnel implements Callable<Integer> {

        private static final int PORT = 5201;

        @ParentCommand
        BenchCommand bench;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Parameters(index = "0", paramLabel = "FROM", description = "The sending site.")
        String from;

        @Parameters(index = "1", paramLabel = "TO", description = "The receiving site.")
        String to;

        @Option(names = "--seconds", defaultValue = "3", description = "Length of each measurement (default: "
                + "${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--runs", defaultValue = "3", description = "Measurements per path; the median is reported "
                + "(default: ${DEFAULT-VALUE}).")
        int runs;

        @Override
        public Integer call() throws IOException {
            if (seconds < 1 || runs < 1) {
                throw new LivCloudException("--seconds and --runs must be at least 1", "e.g. --seconds 3 --runs 3");
            }
            try (LivCloud livCloud = bench.cli.open(false)) {
                TunnelInfo tunnel = livCloud.tunnelUp(from, to, TunnelAuthentication.PRE_SHARED_KEY, Map.of());
                if (tunnel.status().state() != TunnelState.UP) {
                    throw new LivCloudException("tunnel " + tunnel.id() + " is " + tunnel.status().state() + ": "
                            + tunnel.status().detail(), "livcloud tunnel status shows why");
                }
                Site source = site(livCloud, from);
                Site destination = site(livCloud, to);
                List<Double> raw = new ArrayList<>();
                List<Double> through = new ArrayList<>();
                for (int run = 0; run < runs; run++) {
                    raw.add(measure(source.gateway(), destination.gateway(), source.gateway().publicAddress(),
                            destination.gateway().publicAddress()));
                    through.add(measure(source.gateway(), destination.gateway(), source.gateway().privateAddress(),
                            destination.gateway().privateAddress()));
                }
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("tunnel", tunnel.id());
                result.put("dataPath", tunnel.status().dataPath());
                result.put("wanRate", source.attributes().getOrDefault("wan-rate", ""));
                result.put("seconds", seconds);
                result.put("runs", runs);
                result.put("rawMbps", raw);
                result.put("tunnelMbps", through);
                result.put("rawMedianMbps", median(raw));
                result.put("tunnelMedianMbps", median(through));
                result.put("ratio", median(through) / median(raw));
                print(spec.commandLine().getOut(), result, raw, through);
                return ExitCodes.OK;
            }
        }

        private static Site site(LivCloud livCloud, String name) {
            Site site = livCloud.describeSite(name).orElseThrow(() -> new LivCloudException("site " + name
                    + " is not created", "livcloud lab up"));
            if (site.gateway().attributes().getOrDefault(Host.NETWORK_NAMESPACE, "").isBlank()
                    || site.gateway().privateAddress().isBlank()) {
                throw new LivCloudException("site " + name + "'s gateway is not a network namespace on this machine"
                        + " with an address inside its subnet, so iperf3 cannot run there", "bench tunnel measures"
                        + " lab sites (provider = lab)");
            }
            return site;
        }

        /** One iperf3 measurement from one address to another, in Mbit/s as the receiver counted. */
        private double measure(Host sender, Host receiver, String fromAddress, String toAddress) throws IOException {
            Path serverLog = Files.createTempFile("livcloud-bench-iperf3-", ".txt");
            Process server = new ProcessBuilder("ip", "netns", "exec", namespace(receiver), "iperf3", "-s", "-1",
                    "-B", toAddress, "-p", Integer.toString(PORT), "--forceflush").redirectErrorStream(true)
                    .redirectOutput(serverLog.toFile()).start();
            try {
                waitUntilListening(serverLog, server);
                Process client = new ProcessBuilder("ip", "netns", "exec", namespace(sender), "iperf3", "-c", toAddress,
                        "-B", fromAddress, "-p", Integer.toString(PORT), "-t", Integer.toString(seconds), "-J")
                        .redirectErrorStream(true).start();
                client.getOutputStream().close();
                String json = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!client.waitFor(seconds + 30L, TimeUnit.SECONDS) || client.exitValue() != 0) {
                    client.destroyForcibly();
                    throw new LivCloudException("iperf3 from " + fromAddress + " to " + toAddress + " failed: "
                            + errorOf(json), "is iperf3 installed (apt-get install iperf3), and the tunnel up?");
                }
                return new ObjectMapper().readTree(json).path("end").path("sum_received").path("bits_per_second")
                        .asDouble() / 1e6;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LivCloudException("interrupted while measuring", "");
            } finally {
                server.destroy();
                Files.deleteIfExists(serverLog);
            }
        }

        private static String errorOf(String json) {
            try {
                JsonNode error = new ObjectMapper().readTree(json).path("error");
                return error.isMissingNode() ? json.strip() : error.asText();
            } catch (IOException e) {
                return json.strip();
            }
        }

        private static void waitUntilListening(Path serverLog, Process server) throws IOException,
                InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (Files.readString(serverLog).contains("listening")) {
                    return;
                }
                if (!server.isAlive()) {
                    throw new LivCloudException("the iperf3 server did not start: " + Files.readString(serverLog)
                            .strip(), "apt-get install iperf3");
                }
                Thread.sleep(20);
            }
            throw new LivCloudException("the iperf3 server did not listen within 10 s", "");
        }

        private static String namespace(Host host) {
            return host.attributes().get(Host.NETWORK_NAMESPACE);
        }

        static double median(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int middle = sorted.size() / 2;
            return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
        }

        private void print(PrintWriter out, Map<String, Object> result, List<Double> raw, List<Double> through) {
            if (output.json()) {
                out.println(Json.write(result));
                out.flush();
                return;
            }
            out.printf("tunnel %s (%s), %d x %d s, one TCP stream%s%n%n", result.get("tunnel"),
                    result.get("dataPath"), runs, seconds, result.get("wanRate").toString().isEmpty() ? ""
                            : ", WAN limited to " + result.get("wanRate"));
            out.println("| path | median Mbit/s | min | max | vs raw link |");
            out.println("|---|---:|---:|---:|---:|");
            row(out, "raw link (gateway to gateway)", raw, 1.0);
            row(out, "through the tunnel (subnet to subnet)", through, median(through) / median(raw));
            out.flush();
        }

        private static void row(PrintWriter out, String path, List<Double> values, double ratio) {
            out.printf("| %s | %.0f | %.0f | %.0f | %.3f |%n", path, median(values),
                    values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                    values.stream().mapToDouble(Double::doubleValue).max().orElse(0), ratio);
        }
    }
}
