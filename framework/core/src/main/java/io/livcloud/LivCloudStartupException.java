package io.livcloud;

import java.util.List;

/**
 * LivCloud refused to start: the configuration is invalid or names a plugin that failed. Carries every problem found,
 * not only the first, each one line naming the file and line, the key, and the fix.
 */
public final class LivCloudStartupException extends LivCloudException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public LivCloudStartupException(List<String> problems) {
        super(message(problems), "fix the problems listed and run again; 'livcloud config check' lists them");
        this.problems = List.copyOf(problems);
    }

    /** Every problem, one line each. */
    public List<String> getProblems() {
        return problems;
    }

    private static String message(List<String> problems) {
        StringBuilder text = new StringBuilder("LivCloud cannot start (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        problems.forEach(problem -> text.append(System.lineSeparator()).append("  - ").append(problem));
        return text.toString();
    }
}
