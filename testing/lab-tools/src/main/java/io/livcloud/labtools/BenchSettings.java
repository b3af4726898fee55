package io.livcloud.labtools;

import io.livcloud.LivCloudException;
import io.livcloud.cli.migration.PolicyOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The bench's options, checked all at once before anything starts: a bench that fails after ten minutes because of
 * a typo in its last option wastes the ten minutes. Every problem names the option and says what would be right.
 *
 * @param from the site migrations start at
 * @param to the site they go to
 * @param runs repetitions of each figure
 * @param seconds length of an iperf3 measurement
 * @param rates dirty rates, MiB/s, in order
 * @param watchdog the limit of every migration
 * @param variants the LivCloud variants beyond the configured policy
 * @param outputDirectory where to write the files, if anywhere
 */
record BenchSettings(String from, String to, int runs, int seconds, List<Integer> rates, Duration watchdog,
        List<Variant> variants, Optional<Path> outputDirectory) {

    static final int MAX_RUNS = 100;
    static final int MAX_SECONDS = 60;
    /** The lab guest's workload paces itself in 10 ms slices; beyond this it cannot keep the rate anyway. */
    static final int MAX_RATE_MIBPS = 1000;
    static final Duration MIN_WATCHDOG = Duration.ofSeconds(5);
    static final Duration MAX_WATCHDOG = Duration.ofHours(1);
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h)?");
    private static final Pattern VARIANT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._+-]{0,39}");

    /**
     * A LivCloud variant: a name and the policy options over the configured policy.
     *
     * @param name as in the table
     * @param arguments the policy options as given
     * @param policy the parsed options
     */
    record Variant(String name, List<String> arguments, PolicyOptions policy) {
    }

    /** Parses a variant's options exactly as {@code livcloud migrate} parses them. */
    @Command(name = "--variant")
    static final class VariantPolicy {
        @Mixin
        PolicyOptions policy;
    }

    /**
     * The settings, or an error listing every problem.
     *
     * @param migration the migration options, or null for a part that does not migrate
     * @throws LivCloudException listing every problem found
     */
    static BenchSettings of(BenchOptions options, MigrationOptions migration) {
        List<String> problems = new ArrayList<>();
        if (options.from.equals(options.to)) {
            problems.add("--from and --to are both '" + options.from + "': name two different lab sites, e.g."
                    + " --from a --to b");
        }
        if (options.runs < 1 || options.runs > MAX_RUNS) {
            problems.add("--runs is " + options.runs + ": give 1 to " + MAX_RUNS + " (3 fits a 2-core machine)");
        }
        if (options.seconds < 1 || options.seconds > MAX_SECONDS) {
            problems.add("--seconds is " + options.seconds + ": give 1 to " + MAX_SECONDS);
        }
        Optional<Path> output = Optional.ofNullable(options.outputDirectory);
        output.filter(directory -> Files.exists(directory) && !Files.isDirectory(directory)).ifPresent(file ->
                problems.add("--output-dir " + file + " is a file, not a directory: name a directory (it is created"
                        + " if missing)"));
        List<Integer> rates = List.of();
        Duration watchdog = Duration.ZERO;
        List<Variant> variants = List.of();
        if (migration != null) {
            rates = rates(migration.rates, problems);
            watchdog = watchdog(migration.watchdog, problems);
            variants = variants(migration.variants, problems);
        }
        if (!problems.isEmpty()) {
            throw new LivCloudException("the bench's options are wrong:\n  - " + String.join("\n  - ", problems),
                    "see livcloud bench --help");
        }
        return new BenchSettings(options.from, options.to, options.runs, options.seconds, rates, watchdog, variants,
                output);
    }

    static List<Integer> rates(String text, List<String> problems) {
        List<Integer> rates = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String rate = part.strip();
            try {
                int value = Integer.parseInt(rate);
                if (value < 0 || value > MAX_RATE_MIBPS) {
                    problems.add("--rates has " + value + ": each rate must be 0 to " + MAX_RATE_MIBPS + " MiB/s");
                } else if (rates.contains(value)) {
                    problems.add("--rates has " + value + " twice: name each rate once");
                } else {
                    rates.add(value);
                }
            } catch (NumberFormatException e) {
                problems.add("--rates has '" + rate + "', which is not a whole number of MiB/s: give e.g. --rates"
                        + " 0,10,50,200");
            }
        }
        return List.copyOf(rates);
    }

    /** {@code 60}, {@code 60s}, {@code 500ms}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT1M30S}). */
    static Duration watchdog(String text, List<String> problems) {
        Duration duration = null;
        Matcher matcher = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            duration = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        } else {
            try {
                duration = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                problems.add("--watchdog '" + text + "' is not a duration: give e.g. 60s, 2m or PT90S");
                return Duration.ZERO;
            }
        }
        if (duration.compareTo(MIN_WATCHDOG) < 0 || duration.compareTo(MAX_WATCHDOG) > 0) {
            problems.add("--watchdog " + text + " is outside " + MIN_WATCHDOG.toSeconds() + " s to "
                    + MAX_WATCHDOG.toMinutes() + " min: shorter aborts every migration, longer blocks the lab");
        }
        return duration;
    }

    static List<Variant> variants(List<String> texts, List<String> problems) {
        List<Variant> variants = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>(List.of(BenchRun.LIVCLOUD, MigrationBench.BASELINE));
        for (String text : texts) {
            int equals = text.indexOf('=');
            String name = equals < 0 ? text.strip() : text.substring(0, equals).strip();
            if (equals < 0) {
                problems.add("--variant '" + text + "' has no '=': give NAME=POLICY-OPTIONS, e.g. --variant"
                        + " 'multifd4=--multifd 4'");
                continue;
            }
            if (!VARIANT_NAME.matcher(name).matches()) {
                problems.add("--variant name '" + name + "' must be 1 to 40 letters, digits, spaces or ._+- and start"
                        + " with a letter or digit");
                continue;
            }
            if (!names.add(name)) {
                problems.add("--variant name '" + name + "' is taken (names must differ from each other and from '"
                        + BenchRun.LIVCLOUD + "' and '" + MigrationBench.BASELINE + "')");
                continue;
            }
            List<String> arguments = List.of(text.substring(equals + 1).strip().split("\\s+")).stream()
                    .filter(argument -> !argument.isEmpty()).toList();
            VariantPolicy parsed = new VariantPolicy();
            try {
                new CommandLine(parsed).parseArgs(arguments.toArray(String[]::new));
                variants.add(new Variant(name, arguments, parsed.policy));
            } catch (CommandLine.ParameterException e) {
                problems.add("--variant " + name + ": " + e.getMessage() + " (the policy options of livcloud"
                        + " migrate: --downtime-ms, --max-downtime-ms, --bandwidth-mibps, --multifd, --ladder,"
                        + " --allow-post-copy, --timeout-per-gib)");
            }
        }
        return List.copyOf(variants);
    }
}
