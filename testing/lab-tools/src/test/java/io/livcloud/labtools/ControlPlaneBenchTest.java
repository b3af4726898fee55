package io.livcloud.labtools;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.cli.LivCloudCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneBenchTest {

    @Test
    void fromAnInstallationTheChildrenRunItsLauncher(@TempDir Path home) throws Exception {
        Path launcher = Files.createDirectories(home.resolve("bin")).resolve("livcloud");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(ControlPlaneBench.launcher(Optional.of(home))).containsExactly(launcher.toString());
    }

    @Test
    void elsewhereTheyRunTheLaunchersJvmCommandLine() {
        List<String> command = ControlPlaneBench.launcher(Optional.empty());

        assertThat(command.get(0)).endsWith("/bin/java");
        assertThat(command).containsSubsequence("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "io.livcloud.cli.LivCloudCli");
        assertThat(ControlPlaneBench.shown(command)).contains("-cp <the class path of this JVM> io.livcloud.cli"
                + ".LivCloudCli").doesNotContain(System.getProperty("java.class.path"));
    }

    @Test
    void theLaunchersJvmOptionsAreTheOnesBinLivcloudGives() throws Exception {
        // The children must start like the user's livcloud, or the figures measure another JVM.
        // Surefire runs in the module's folder, framework/cli.
        Path script = Path.of("../../distribution/src/main/dist/bin/livcloud");
        String text = Files.readString(script);
        for (String option : Set.copyOf(ControlPlaneBench.LAUNCHER_JVM_OPTIONS)) {
            assertThat(text).as("bin/livcloud").contains(option);
        }
    }
}
