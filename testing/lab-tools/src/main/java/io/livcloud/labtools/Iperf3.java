package io.livcloud.labtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.LivCloudException;
import io.livcloud.spi.provider.Host;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** One iperf3 TCP stream between two lab gateways, each run in its gateway's network namespace. */
final class Iperf3 {

    private static final int PORT = 5201;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Iperf3() {
    }

    /** One measurement from one address to another, in Mbit/s as the receiver counted. */
    static double measure(Host sender, Host receiver, String fromAddress, String toAddress, int seconds)
            throws IOException {
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
            return JSON.readTree(json).path("end").path("sum_received").path("bits_per_second").asDouble() / 1e6;
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
            JsonNode error = JSON.readTree(json).path("error");
            return error.isMissingNode() ? json.strip() : error.asText();
        } catch (IOException e) {
            return json.strip();
        }
    }

    private static void waitUntilListening(Path serverLog, Process server) throws IOException, InterruptedException {
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
}
