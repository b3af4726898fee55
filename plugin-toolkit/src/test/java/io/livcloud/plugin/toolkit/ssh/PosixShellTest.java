package io.livcloud.plugin.toolkit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PosixShellTest {

    private static final List<String> AWKWARD = List.of("plain", "", " ", "two words", "it's", "'", "''", "\"",
            "$HOME", "${PATH}", "$(id)", "`id`", "a;b", "a && b", "a|b", "*", "?", "[x]", "~", "~root", "#comment",
            "line\nbreak", "\n", "tab\there", "back\\slash", "\\'", "!bang", "<in", ">out", "-n", "--", "ünïcödé",
            "a=b", "\r\n");

    @Test
    void leavesPlainWordsBareAndQuotesTheRest() {
        assertThat(PosixShell.quote("/usr/bin/virsh")).isEqualTo("/usr/bin/virsh");
        assertThat(PosixShell.quote("--kill-after=2s")).isEqualTo("--kill-after=2s");
        assertThat(PosixShell.quote("")).isEqualTo("''");
        assertThat(PosixShell.quote("two words")).isEqualTo("'two words'");
        assertThat(PosixShell.quote("$HOME")).isEqualTo("'$HOME'");
        assertThat(PosixShell.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(PosixShell.commandLine(List.of("echo", "a b", "c"))).isEqualTo("echo 'a b' c");
    }

    @Test
    void refusesWhatNoQuotingCanCarry() {
        assertThatThrownBy(() -> PosixShell.quote("a\0b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    /**
     * The proof that matters: real login shells (Debian's dash as sh, and bash, the default user's shell on cloud
     * images) give every argument back unchanged, as one argument.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/bash"})
    void aShellGivesEveryArgumentBackUnchanged(String shellProgram) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(AWKWARD);
        Process shell = new ProcessBuilder(shellProgram, "-c", PosixShell.commandLine(argv)).start();
        byte[] output = shell.getInputStream().readAllBytes();
        assertThat(shell.waitFor()).isZero();

        String all = new String(output, StandardCharsets.UTF_8);
        List<String> back = Arrays.asList(all.substring(0, all.length() - 1).split("\0", -1));
        assertThat(back).containsExactlyElementsOf(AWKWARD);
    }
}
