package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;

/**
 * One thing wrong with the configuration, reported to the user as a single line.
 *
 * @param path the full path of the key concerned, e.g. {@code livcloud.extensions.hypervisor.kvm.uri}; empty when
 *         the problem concerns no key (a missing file, a syntax error)
 * @param message what is wrong and how to fix it
 * @param origin where the value came from, e.g. {@code /etc/livcloud/livcloud.conf:12}; empty when unknown
 */
public record ConfigProblem(String path, String message, String origin) {

    /** The order problems are reported in: by origin file, then line, then path. */
    public static final Comparator<ConfigProblem> ORDER = Comparator
            .comparing((ConfigProblem problem) -> Origins.file(problem.origin()))
            .thenComparingInt(problem -> Origins.line(problem.origin()))
            .thenComparing(ConfigProblem::path)
            .thenComparing(ConfigProblem::message);

    public ConfigProblem {
        requireNonNull(path, "path is null");
        requireNonNull(message, "message is null");
        requireNonNull(origin, "origin is null");
    }

    /** {@code <origin>: <path>: <message>}, leaving out an empty origin or path. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        if (!origin.isEmpty()) {
            line.append(origin).append(": ");
        }
        if (!path.isEmpty()) {
            line.append(path).append(": ");
        }
        return line.append(message).toString();
    }
}
