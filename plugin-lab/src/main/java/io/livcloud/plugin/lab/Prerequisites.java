package io.livcloud.plugin.lab;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Support;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the lab needs on the machine: root, a few programs, and the installer this plugin ships for them. */
final class Prerequisites {

    /** The installer, a resource next to this class; {@code scripts/install-lab-prerequisites.sh} runs the same. */
    static final String INSTALLER = "install-lab-prerequisites.sh";

    /** apt may download QEMU and libvirt: minutes on a slow mirror. */
    private static final Duration INSTALLER_TIMEOUT = Duration.ofMinutes(30);
    private static final String QEMU_PACKAGE = "qemu-system-x86";

    /**
     * A program the lab runs and the Debian package that has it.
     *
     * @param command the program
     * @param debianPackage the package
     */
    record Tool(String command, String debianPackage) {
    }

    static final List<Tool> TOOLS = List.of(
            new Tool("ip", "iproute2"),
            new Tool("tc", "iproute2"),
            new Tool("unshare", "util-linux"),
            new Tool("setsid", "util-linux"),
            new Tool("libvirtd", "libvirt-daemon"),
            new Tool("virsh", "libvirt-clients"),
            new Tool("qemu-system-x86_64", QEMU_PACKAGE),
            new Tool("useradd", "passwd"),
            new Tool(LabCharon.CHARON, "strongswan-charon"));

    /** What ssh mode needs besides: each site's sshd and the tool that makes its host key. */
    static final List<Tool> SSH_TOOLS = List.of(
            new Tool("sshd", "openssh-server"),
            new Tool("ssh-keygen", "openssh-client"));

    private Prerequisites() {
    }

    /**
     * Whether the lab can work here in this mode: root, and every {@link #TOOLS tool} installed (and in ssh mode the
     * {@link #SSH_TOOLS}). Changes nothing.
     */
    static Support check(LabHost host, LabConfig.AccessMode mode) {
        if (!host.isRoot()) {
            return Support.no("the lab needs root to create network namespaces", "run as root");
        }
        List<String> missing = new ArrayList<>();
        Set<String> packages = new LinkedHashSet<>();
        List<Tool> tools = new ArrayList<>(TOOLS);
        if (mode == LabConfig.AccessMode.SSH) {
            tools.addAll(SSH_TOOLS);
        }
        for (Tool tool : tools) {
            if (host.executable(tool.command()).isEmpty()) {
                missing.add(tool.command());
                packages.add(tool.debianPackage());
            }
        }
        if (missing.isEmpty()) {
            return Support.yes();
        }
        String remedy = "as root: apt-get install " + String.join(" ", packages);
        if (packages.contains(QEMU_PACKAGE)) {
            remedy += " (QEMU from bookworm-backports: apt-get install -t bookworm-backports " + QEMU_PACKAGE
                    + "; bookworm's QEMU 7.2 corrupts TCG guests during live migration)";
        }
        remedy += "; or run scripts/install-lab-prerequisites.sh of the LivCloud source tree, which installs all"
                + " the lab needs";
        return Support.no("the lab needs " + joinNames(missing) + ", which " + (missing.size() == 1 ? "is" : "are")
                + " not installed (Debian package" + (packages.size() == 1 ? " " : "s ") + String.join(", ", packages)
                + ")", remedy);
    }

    private static String joinNames(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /**
     * Runs the installer this plugin ships: it installs only what is missing and prints what it installs, which goes
     * to the log and, when there is any, into a {@code lab.prerequisites} event.
     *
     * @throws ExtensionException {@link LabErrorCode#PREREQUISITES_FAILED} with the installer's last lines
     */
    static void install(LabHost host, Path labDirectory, LabEvents events) {
        Path script = labDirectory.resolve(INSTALLER);
        try (InputStream resource = Prerequisites.class.getResourceAsStream(INSTALLER)) {
            if (resource == null) {
                throw new IllegalStateException("the lab plugin lacks its resource " + INSTALLER);
            }
            Files.copy(resource, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write " + script + ": " + e,
                    "check the lab directory's permissions", e);
        }
        LabHost.CommandResult result = host.run(List.of("bash", script.toString()), INSTALLER_TIMEOUT);
        String output = result.output().strip();
        output.lines().forEach(events::info);
        if (!result.succeeded()) {
            throw new ExtensionException(LabErrorCode.PREREQUISITES_FAILED, "the lab's prerequisites installer "
                    + script + (result.timedOut() ? " did not finish within " + INSTALLER_TIMEOUT.toMinutes()
                            + " minutes" : " failed with exit code " + result.exitCode()) + ":\n"
                    + LabCommands.lastLines(output), "run bash " + script + " as root to see why, or set"
                    + " livcloud.extensions.provider.lab.install-prerequisites = false and install what the lab needs"
                    + " yourself");
        }
        if (!output.isEmpty()) {
            events.emit("lab.prerequisites", "installed what the lab needs:\n" + output,
                    Map.of("installer", script.toString()));
        }
    }
}
