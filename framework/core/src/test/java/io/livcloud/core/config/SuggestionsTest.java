package io.livcloud.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> KEYS = List.of("connect-timeout", "uri", "migration-bandwidth", "log-level");

    @Test
    void suggestsTheClosestKnownWord() {
        assertThat(Suggestions.closest("conect-timeout", KEYS)).contains("connect-timeout");
        assertThat(Suggestions.closest("log-levl", KEYS)).contains("log-level");
        assertThat(Suggestions.closest("livcoud", List.of("livcloud"))).contains("livcloud");
    }

    @Test
    void countsASwapOfAdjacentCharactersAsOneEdit() {
        assertThat(Suggestions.distance("uir", "uri")).isEqualTo(1);
        assertThat(Suggestions.closest("uir", KEYS)).contains("uri");
    }

    @Test
    void ignoresCase() {
        assertThat(Suggestions.closest("WARN", List.of("warn", "error"))).contains("warn");
    }

    @Test
    void acceptsAtLeastTwoEditsAndAThirdOfTheLength() {
        assertThat(Suggestions.closest("ab", List.of("xy"))).contains("xy");
        assertThat(Suggestions.closest("abc", List.of("xyz"))).isEmpty();
        // 17 characters: up to 5 edits.
        assertThat(Suggestions.closest("migratin-bandwdth", KEYS)).contains("migration-bandwidth");
        assertThat(Suggestions.closest("bandwidth", KEYS)).isEmpty();
    }

    @Test
    void breaksTiesAlphabetically() {
        assertThat(Suggestions.closest("kvn", List.of("kvo", "kvm", "kva"))).contains("kva");
    }

    @Test
    void nothingKnownNothingSuggested() {
        assertThat(Suggestions.closest("anything", List.of())).isEmpty();
    }
}
