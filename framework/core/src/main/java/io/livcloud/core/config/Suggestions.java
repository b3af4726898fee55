package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** Spelling suggestions for unknown keys and names ("did you mean 'log-level'?"). */
public final class Suggestions {

    private Suggestions() {
    }

    /**
     * The known word closest to {@code candidate} by Damerau-Levenshtein distance (optimal string alignment, ignoring
     * case), if it is within {@code max(2, candidate.length() / 3)} edits; among equally close words, the first in
     * alphabetical order.
     */
    public static Optional<String> closest(String candidate, Collection<String> known) {
        requireNonNull(candidate, "candidate is null");
        requireNonNull(known, "known is null");
        int limit = Math.max(2, candidate.length() / 3);
        String lowerCandidate = candidate.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        // Sorted, so the first of equally close words wins the tie.
        for (String word : new TreeSet<>(known)) {
            int distance = distance(lowerCandidate, word.toLowerCase(Locale.ROOT));
            if (distance <= limit && distance < bestDistance) {
                best = word;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The number of insertions, deletions, substitutions and swaps of adjacent characters turning a into b. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
