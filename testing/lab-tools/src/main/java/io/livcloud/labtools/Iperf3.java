package io.livcloud.labtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.LivCloudException;
import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.plugin.toolkit.process.RunningCommand;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.provider.Host;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** One iperf3 TCP stream between two lab gateways, each run in its gateway's network namespace. */
final class Iperf3 {

    private static final int PORT = 5201;
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(10);
    /** What the client may take beyond its measuring time: connecting, and the end's exchange of results. */
    private static final Duration CLIENT_MARGIN = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProcessRunner PROCESSES = new ProcessRunner();

    private Iperf3() {
    }

    /** One measurement from one address to another, in Mbit/s as the receiver counted. */
    static double measure(Host sender, Host receiver, String fromAddress, String toAddress, int seconds)
            throws IOException {
        Duration clientTimeout = Duration.ofSeconds(seconds).plus(CLIENT_MARGIN);
        CountDownLatch listening = new CountDownLatch(1);
        // One client (-1), then it ends by itself; closing it stops it if the client never came.
        HostCommand serverCommand = HostCommand.of(LISTEN_WAIT.plus(clientTimeout), "ip", "netns", "exec",
                namespace(receiver), "iperf3", "-s", "-1", "-B", toAddress, "-p", Integer.toString(PORT),
                "--forceflush");
        try (RunningCommand server = PROCESSES.start(serverCommand, Map.of(), line -> {
            if (line.contains("listening")) {
                listening.countDown();
            }
        })) {
            waitUntilListening(server, listening);
            CommandResult client = PROCESSES.run(HostCommand.of(clientTimeout, "ip", "netns", "exec",
                    namespace(sender), "iperf3", "-c", toAddress, "-B", fromAddress, "-p", Integer.toString(PORT),
                    "-t", Integer.toString(seconds), "-J"));
            if (!client.succeeded()) {
                throw new LivCloudException("iperf3 from " + fromAddress + " to " + toAddress + " failed: "
                        + errorOf(client), "is iperf3 installed (apt-get install iperf3), and the tunnel up?");
            }
            return JSON.readTree(client.stdout()).path("end").path("sum_received").path("bits_per_second")
                    .asDouble() / 1e6;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LivCloudException("interrupted while measuring", "");
        }
    }

    /** iperf3 -J reports its own errors in its JSON; anything else (killed at its timeout) as it printed it. */
    private static String errorOf(CommandResult client) {
        try {
            JsonNode error = JSON.readTree(client.stdout()).path("error");
            return error.isMissingNode() ? client.output() : error.asText();
        } catch (IOException e) {
            return client.output();
        }
    }

    private static void waitUntilListening(RunningCommand server, CountDownLatch listening)
            throws InterruptedException {
        long deadline = System.nanoTime() + LISTEN_WAIT.toNanos();
        while (!listening.await(20, TimeUnit.MILLISECONDS)) {
            if (server.awaitEnd(Duration.ZERO)) {
                throw new LivCloudException("the iperf3 server did not start: " + server.await().output(),
                        "apt-get install iperf3");
            }
            if (System.nanoTime() > deadline) {
                throw new LivCloudException("the iperf3 server did not listen within " + LISTEN_WAIT.toSeconds()
                        + " s", "");
            }
        }
    }

    private static String namespace(Host host) {
        return host.attributes().get(Host.NETWORK_NAMESPACE);
    }
}
