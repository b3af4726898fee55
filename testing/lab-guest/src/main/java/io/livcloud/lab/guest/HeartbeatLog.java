package io.livcloud.lab.guest;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab guest's serial console log (ttyS0) as seen from the host: its heartbeats and other lines.
 *
 * <p>Every method reads the file as it is at that moment, so the same object follows a running guest. Only complete
 * lines count: the line QEMU is still writing is left for the next read. Kernel messages and boot noise are skipped,
 * and a heartbeat is found anywhere in its line (after a carriage return or escape codes, say).
 */
public final class HeartbeatLog {

    private static final Pattern HEARTBEAT =
            Pattern.compile("livcloud-heartbeat seq=(\\d+) uptime_ms=(\\d+) rate=(\\d+) wss=(\\d+)");
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final int LINES_IN_MESSAGES = 8;

    private final Path serialLog;

    private HeartbeatLog(Path serialLog) {
        this.serialLog = requireNonNull(serialLog, "serialLog is null");
    }

    /** The log at this path; the file need not exist yet. */
    public static HeartbeatLog of(Path serialLog) {
        return new HeartbeatLog(serialLog);
    }

    /** The heartbeats in these lines, in order. */
    public static List<Heartbeat> parse(List<String> lines) {
        List<Heartbeat> heartbeats = new ArrayList<>();
        for (String line : lines) {
            Matcher matcher = HEARTBEAT.matcher(line);
            if (matcher.find()) {
                heartbeats.add(new Heartbeat(
                        Long.parseLong(matcher.group(1)),
                        Long.parseLong(matcher.group(2)),
                        Integer.parseInt(matcher.group(3)),
                        Integer.parseInt(matcher.group(4))));
            }
        }
        return heartbeats;
    }

    public Path path() {
        return serialLog;
    }

    /** The complete lines of the log, without line ends; none while the file does not exist. */
    public List<String> lines() {
        byte[] content;
        try {
            content = Files.readAllBytes(serialLog);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the serial log " + serialLog, e);
        }
        // ISO-8859-1 maps every byte to a character: escape codes and broken bytes cannot fail the read.
        String text = new String(content, ISO_8859_1);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.substring(0, end).split("\n", -1)) {
            lines.add(line.replace("\r", ""));
        }
        return lines;
    }

    /** The heartbeats logged so far, in order. */
    public List<Heartbeat> heartbeats() {
        return parse(lines());
    }

    /** The sequence number of the last heartbeat, 0 when there is none. */
    public long lastSequence() {
        List<Heartbeat> heartbeats = heartbeats();
        return heartbeats.isEmpty() ? 0 : heartbeats.get(heartbeats.size() - 1).sequence();
    }

    /**
     * The largest guest-uptime difference between two consecutive heartbeats of one boot, 0 with fewer than two.
     * The guest clock stands still while QEMU has the vCPUs stopped, so a migration's downtime does not show here:
     * this measures how long the running guest went without printing.
     */
    public long maxGapMillis() {
        return maxGapMillis(heartbeats());
    }

    static long maxGapMillis(List<Heartbeat> heartbeats) {
        long gap = 0;
        for (int i = 1; i < heartbeats.size(); i++) {
            Heartbeat previous = heartbeats.get(i - 1);
            Heartbeat current = heartbeats.get(i);
            if (!isReset(previous, current)) {
                gap = Math.max(gap, current.uptimeMillis() - previous.uptimeMillis());
            }
        }
        return gap;
    }

    /** Whether the sequence started again (went back to 1, or down at all): the guest rebooted. */
    public boolean hasReset() {
        return hasReset(heartbeats());
    }

    static boolean hasReset(List<Heartbeat> heartbeats) {
        for (int i = 1; i < heartbeats.size(); i++) {
            if (isReset(heartbeats.get(i - 1), heartbeats.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isReset(Heartbeat previous, Heartbeat current) {
        return current.sequence() <= previous.sequence();
    }

    /**
     * Waits until a heartbeat with at least this sequence number is logged and returns the first such one.
     *
     * @throws TimeoutException when none came within the timeout; the message has the last sequence and lines
     */
    public Heartbeat waitForSequence(long sequence, Duration timeout) throws InterruptedException, TimeoutException {
        return waitFor(() -> heartbeats().stream().filter(beat -> beat.sequence() >= sequence).findFirst(), timeout,
                () -> "no heartbeat with seq>=" + sequence + " in " + serialLog + " within " + timeout + "; last seq "
                        + lastSequence());
    }

    /**
     * Waits until a complete line containing this text is logged and returns the first such line.
     *
     * @throws TimeoutException when none came within the timeout; the message has the last lines
     */
    public String waitForLine(String text, Duration timeout) throws InterruptedException, TimeoutException {
        requireNonNull(text, "text is null");
        return waitFor(() -> lines().stream().filter(line -> line.contains(text)).findFirst(), timeout,
                () -> "no line containing '" + text + "' in " + serialLog + " within " + timeout);
    }

    private <T> T waitFor(Supplier<Optional<T>> poll, Duration timeout, Supplier<String> failure)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = poll.get();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new TimeoutException(failure.get() + describeTail());
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    private String describeTail() {
        List<String> lines = lines();
        if (lines.isEmpty()) {
            return "; the log is empty or missing";
        }
        List<String> tail = lines.subList(Math.max(0, lines.size() - LINES_IN_MESSAGES), lines.size());
        return "; last lines:\n  " + String.join("\n  ", tail);
    }

    @Override
    public String toString() {
        return "HeartbeatLog[" + serialLog + "]";
    }
}
