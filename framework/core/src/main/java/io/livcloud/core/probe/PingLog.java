package io.livcloud.core.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what {@code ping -D -O} printed: a line per answer with its receive time, and a line per probe that had no
 * answer when the next was sent. The longest time between consecutive answers is the interruption a client saw.
 */
public final class PingLog {

    private static final Pattern ANSWER = Pattern.compile(
            "^\\[(\\d+)\\.(\\d{1,9})\\] \\d+ bytes from [^:]+: icmp_seq=(\\d+)");
    private static final Pattern NO_ANSWER = Pattern.compile("no answer yet for icmp_seq=(\\d+)");

    private PingLog() {
    }

    /**
     * The watch's result from ping's output.
     *
     * @param started when ping was started: the gap before the first answer counts
     * @param stopped when it was stopped: the gap after the last answer counts
     */
    public static io.livcloud.spi.provider.ReachabilityWatch.Result read(List<String> lines, Instant started, Instant stopped,
            Duration interval) {
        List<Instant> answers = new ArrayList<>();
        long highestSequence = 0;
        for (String line : lines) {
            Matcher answer = ANSWER.matcher(line);
            if (answer.find()) {
                String fraction = (answer.group(2) + "000000000").substring(0, 9);
                answers.add(Instant.ofEpochSecond(Long.parseLong(answer.group(1)), Long.parseLong(fraction)));
                highestSequence = Math.max(highestSequence, Long.parseLong(answer.group(3)));
                continue;
            }
            Matcher missing = NO_ANSWER.matcher(line);
            if (missing.find()) {
                highestSequence = Math.max(highestSequence, Long.parseLong(missing.group(1)));
            }
        }
        if (answers.isEmpty()) {
            return new io.livcloud.spi.provider.ReachabilityWatch.Result(highestSequence, 0,
                    max(Duration.between(started, stopped), interval), interval);
        }
        Duration longest = Duration.ZERO;
        for (int i = 1; i < answers.size(); i++) {
            longest = max(longest, Duration.between(answers.get(i - 1), answers.get(i)));
        }
        // The first answer may come up to an interval after the start, and the last precede the stop by as much:
        // only what goes beyond that is an interruption at the edges.
        longest = max(longest, Duration.between(started, answers.get(0)).minus(interval));
        longest = max(longest, Duration.between(answers.get(answers.size() - 1), stopped).minus(interval));
        return new io.livcloud.spi.provider.ReachabilityWatch.Result(highestSequence, answers.size(),
                max(longest, interval), interval);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
