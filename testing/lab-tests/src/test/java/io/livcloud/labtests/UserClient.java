package io.livcloud.labtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The lab's user, run inside the user namespace ({@code ip netns exec lcuser java ... UserClient <address> <port>}):
 * a UDP echo probe every 10 ms and one long-lived TCP connection that sends a line every 20 ms and reads it back. On
 * each line {@code report} from standard input it prints one line with what it saw since the previous report:
 *
 * <pre>report udpSent=.. udpAnswered=.. udpLongestGapMs=.. tcpSent=.. tcpEchoed=.. tcpLongestGapMs=.. tcpBroken=..</pre>
 *
 * The longest gap is the longest time without an answer, measured at the client. The TCP connection is opened once;
 * if it ever breaks, {@code tcpBroken=true} stays (it is not reopened: surviving the moves is what is tested).
 */
public final class UserClient {

    private static final long UDP_INTERVAL_NANOS = 10_000_000;
    private static final long TCP_INTERVAL_NANOS = 20_000_000;

    /** What one kind of probe saw in the current window; guarded by the instance. */
    private static final class Window {
        long sent;
        long answered;
        long lastAnswerNanos;
        long longestGapNanos;

        synchronized void sent() {
            sent++;
        }

        synchronized void answered(long nanos) {
            answered++;
            if (lastAnswerNanos != 0) {
                longestGapNanos = Math.max(longestGapNanos, nanos - lastAnswerNanos);
            }
            lastAnswerNanos = nanos;
        }

        /** The window so far, then a new one that measures its first gap from the last answer. */
        synchronized String take(String prefix, long now) {
            long gap = Math.max(longestGapNanos, lastAnswerNanos == 0 ? 0 : now - lastAnswerNanos);
            String text = prefix + "Sent=" + sent + " " + prefix + "Answered=" + answered + " " + prefix
                    + "LongestGapMs=" + gap / 1_000_000;
            sent = 0;
            answered = 0;
            longestGapNanos = 0;
            return text;
        }
    }

    private final Window udp = new Window();
    private final Window tcp = new Window();
    private volatile boolean tcpBroken;
    private volatile boolean running = true;

    public static void main(String[] arguments) throws Exception {
        InetSocketAddress target = new InetSocketAddress(arguments[0], Integer.parseInt(arguments[1]));
        new UserClient().run(target);
    }

    private void run(InetSocketAddress target) throws Exception {
        try (DatagramSocket datagrams = new DatagramSocket(); Socket connection = new Socket()) {
            datagrams.connect(target);
            datagrams.setSoTimeout(100);
            connection.connect(target, 5_000);
            connection.setTcpNoDelay(true);
            start("udp-send", () -> sendDatagrams(datagrams));
            start("udp-receive", () -> receiveDatagrams(datagrams));
            start("tcp-send", () -> sendLines(connection));
            start("tcp-receive", () -> receiveLines(connection));
            System.out.println("ready");
            System.out.flush();
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String command;
            while ((command = commands.readLine()) != null) {
                if (command.strip().equals("report")) {
                    long now = System.nanoTime();
                    System.out.println("report " + udp.take("udp", now) + " " + tcp.take("tcp", now) + " tcpBroken="
                            + tcpBroken);
                    System.out.flush();
                }
            }
            running = false;
        }
    }

    private static void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void sendDatagrams(DatagramSocket socket) {
        long sequence = 0;
        long next = System.nanoTime();
        while (running) {
            byte[] payload = ("probe " + sequence++).getBytes(StandardCharsets.US_ASCII);
            try {
                socket.send(new DatagramPacket(payload, payload.length));
                udp.sent();
            } catch (IOException e) {
                // An unreachable destination (ICMP error) while the VM moves: the gap shows it.
            }
            next += UDP_INTERVAL_NANOS;
            sleepUntil(next);
        }
    }

    private void receiveDatagrams(DatagramSocket socket) {
        byte[] buffer = new byte[256];
        while (running) {
            try {
                socket.receive(new DatagramPacket(buffer, buffer.length));
                udp.answered(System.nanoTime());
            } catch (SocketTimeoutException e) {
                // nothing this 100 ms
            } catch (IOException e) {
                sleepUntil(System.nanoTime() + UDP_INTERVAL_NANOS); // port unreachable while moving
            }
        }
    }

    private void sendLines(Socket connection) {
        long sequence = 0;
        long next = System.nanoTime();
        try {
            OutputStream out = connection.getOutputStream();
            while (running && !tcpBroken) {
                out.write(("line " + sequence++ + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                tcp.sent();
                next += TCP_INTERVAL_NANOS;
                sleepUntil(next);
            }
        } catch (IOException e) {
            tcpBroken = true;
        }
    }

    private void receiveLines(Socket connection) {
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                    StandardCharsets.US_ASCII));
            long expected = 0;
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.equals("line " + expected++)) {
                    tcpBroken = true; // the stream lost or reordered data: not the same connection any more
                    return;
                }
                tcp.answered(System.nanoTime());
            }
            tcpBroken = true; // closed by the peer
        } catch (IOException e) {
            tcpBroken = true;
        }
    }

    private static void sleepUntil(long nanos) {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
