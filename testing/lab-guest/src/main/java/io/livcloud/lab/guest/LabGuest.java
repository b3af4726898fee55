package io.livcloud.lab.guest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.plugin.toolkit.process.RunningCommand;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab guest for integration tests: builds it from Debian packages and describes it to libvirt.
 *
 * <p>The guest is a Debian kernel (the cloud flavour for x86_64, the 686 flavour for i686) with an initramfs of
 * busybox, an {@code /init} and a static C workload. The workload dirties a working set at a set rate and prints a
 * heartbeat on ttyS0 every 100 ms ({@link HeartbeatLog} reads them); lines {@code rate <MiB/s>} and {@code wss <MiB>}
 * written to ttyS1 change the rate and the working set, each change acknowledged on ttyS0 with
 * {@code livcloud-control rate=<R> wss=<N>}.
 */
public final class LabGuest {

    public static final String X86_64 = "x86_64";
    public static final String I686 = "i686";
    public static final List<String> ARCHITECTURES = List.of(X86_64, I686);

    /** The guest's sources, resources beside this class; build-guest.sh expects them in one directory. */
    private static final List<String> SOURCES = List.of("build-guest.sh", "init", "workload.c");
    private static final String SCRIPT = "build-guest.sh";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
    private static final int OUTPUT_LINES_IN_MESSAGES = 30;
    private static final ProcessRunner PROCESSES = new ProcessRunner();

    private LabGuest() {
    }

    /**
     * Builds the guest for this architecture under the cache directory, or finds it built there from the same
     * sources, and returns it. The first build downloads about 30 MB (x86_64) or 55 MB (i686) of Debian packages and
     * takes seconds; later calls check checksums only. Safe to call from several threads and processes at once: they
     * wait for each other.
     *
     * @param architecture {@code x86_64} or {@code i686}
     * @param cacheDirectory where the sources are extracted ({@code <cache>/sources-<checksum>/}) and the guests kept
     *     ({@code <cache>/<architecture>/})
     * @throws IllegalStateException when the build fails; the message has the build's last lines, which name a
     *     missing host package when that is the cause
     * @throws io.livcloud.spi.ExtensionException with a {@link io.livcloud.plugin.toolkit.process.ProcessErrorCode}
     *     when bash cannot be started, or the thread is interrupted while the build runs (the build is stopped)
     */
    public static GuestImage build(String architecture, Path cacheDirectory) {
        requireArchitecture(architecture);
        requireNonNull(cacheDirectory, "cacheDirectory is null");
        synchronized (LabGuest.class) {
            Path script = extractSources(cacheDirectory).resolve(SCRIPT);
            Path output = cacheDirectory.resolve(architecture).toAbsolutePath();
            List<String> lines = new ArrayList<>();
            int exitCode = run(List.of("bash", script.toString(), architecture, output.toString()), lines, true);
            if (exitCode != 0) {
                throw new IllegalStateException("building the " + architecture + " lab guest into " + output
                        + " failed (exit " + exitCode + "):\n  " + String.join("\n  ", lines));
            }
            return new GuestImage(architecture, output.resolve("vmlinuz"), output.resolve("initramfs.gz"));
        }
    }

    /**
     * The host packages that building the guest for this architecture needs and does not find, each with what is
     * missing, for example {@code cpio (no cpio)}; empty when the build can run.
     */
    public static List<String> missingBuildPackages(String architecture, Path cacheDirectory) {
        requireArchitecture(architecture);
        requireNonNull(cacheDirectory, "cacheDirectory is null");
        synchronized (LabGuest.class) {
            Path script = extractSources(cacheDirectory).resolve(SCRIPT);
            List<String> lines = new ArrayList<>();
            int exitCode = run(List.of("bash", script.toString(), "--check", architecture), lines, false);
            return exitCode == 0 ? List.of() : List.copyOf(lines);
        }
    }

    /**
     * Where tests keep built guests unless they have a reason not to: {@code $LIVCLOUD_LAB_CACHE}, else
     * {@code ~/.cache/livcloud/lab-guest}. Shared by all modules and checkouts, so a guest is built once per machine.
     */
    public static Path defaultCacheDirectory() {
        String configured = System.getenv("LIVCLOUD_LAB_CACHE");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "livcloud", "lab-guest");
    }

    /** The QEMU system emulator that runs this architecture, as libvirt picks it: qemu-system-x86_64 or -i386. */
    public static String qemuBinary(String architecture) {
        requireArchitecture(architecture);
        return architecture.equals(X86_64) ? "qemu-system-x86_64" : "qemu-system-i386";
    }

    /**
     * The CPU model the guest runs on, one that QEMU's TCG provides on every host so that both sites of a migration
     * can: {@code qemu64}, or {@code qemu32} (a 32-bit CPU; the i686 guest cannot run 64-bit code at all).
     */
    public static String cpuModel(String architecture) {
        requireArchitecture(architecture);
        return architecture.equals(X86_64) ? "qemu64" : "qemu32";
    }

    /** The kernel command line: console on ttyS0 and the workload's starting dirty rate and working set. */
    public static String kernelCommandLine(int dirtyRateMiBps, int workingSetMiB) {
        return "console=ttyS0 livcloud.rate=" + dirtyRateMiBps + " livcloud.wss=" + workingSetMiB;
    }

    /** {@link #kernelCommandLine(int, int)} with the network card's address and default route for /init. */
    public static String kernelCommandLine(int dirtyRateMiBps, int workingSetMiB, java.util.Optional<GuestNic> nic) {
        return kernelCommandLine(dirtyRateMiBps, workingSetMiB) + nic.map(card -> " livcloud.ip=" + card.address()
                + (card.gateway().isEmpty() ? "" : " livcloud.gw=" + card.gateway())).orElse("");
    }

    /** The network card's element, or nothing. */
    private static String interfaceXml(java.util.Optional<GuestNic> nic) {
        return nic.map(card -> """
                    <interface type='bridge'>
                      <source bridge='%s'/>
                      <mac address='%s'/>
                      <model type='virtio'/>
                      <mtu size='%d'/>
                    </interface>
                """.formatted(escape(card.bridge()), card.mac(), card.mtu())).orElse("");
    }

    /**
     * A libvirt domain XML that boots the guest's kernel and initramfs directly: no disk, a virtio network card on a
     * bridge when the spec has one,
     * ttyS0 to the serial log file (appended), ttyS1 on a Unix socket that QEMU listens on. ACPI is on because
     * libvirt 9.0 otherwise passes {@code -no-acpi}, which QEMU 10 rejects. A crash destroys the domain.
     */
    public static String domainXml(DomainSpec spec) {
        requireNonNull(spec, "spec is null");
        GuestImage image = spec.image();
        return """
                <domain type='%s'>
                  <name>%s</name>
                  <memory unit='MiB'>%d</memory>
                  <vcpu>%d</vcpu>
                  <os>
                    <type arch='%s' machine='pc'>hvm</type>
                    <kernel>%s</kernel>
                    <initrd>%s</initrd>
                    <cmdline>%s</cmdline>
                  </os>
                  <features>
                    <acpi/>
                  </features>
                  <cpu mode='custom' match='exact' check='none'>
                    <model fallback='forbid'>%s</model>
                  </cpu>
                  <clock offset='utc'/>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>restart</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <serial type='file'>
                      <source path='%s' append='on'/>
                      <target port='0'/>
                    </serial>
                    <serial type='unix'>
                      <source mode='bind' path='%s'/>
                      <target port='1'/>
                    </serial>
                %s    <controller type='usb' model='none'/>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(
                spec.domainType(),
                escape(spec.name()),
                spec.memoryMiB(),
                spec.vcpus(),
                image.architecture(),
                escape(image.kernel().toAbsolutePath().toString()),
                escape(image.initramfs().toAbsolutePath().toString()),
                escape(kernelCommandLine(spec.dirtyRateMiBps(), spec.workingSetMiB(), spec.nic())),
                cpuModel(image.architecture()),
                escape(spec.serialLogPath()),
                escape(spec.controlSocketPath()),
                interfaceXml(spec.nic()));
    }

    static void requireArchitecture(String architecture) {
        requireNonNull(architecture, "architecture is null");
        if (!ARCHITECTURES.contains(architecture)) {
            throw new IllegalArgumentException(
                    "architecture is '" + architecture + "', expected one of " + ARCHITECTURES);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
                .replace("\"", "&quot;");
    }

    /**
     * Writes the jar's sources into {@code <cache>/sources-<checksum>/} unless they are there, and returns that
     * directory. Named by content, so that checkouts with other versions of the sources never change the files a
     * running build reads.
     */
    private static Path extractSources(Path cacheDirectory) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Map<String, byte[]> contents = new LinkedHashMap<>();
            for (String name : SOURCES) {
                try (InputStream resource = LabGuest.class.getResourceAsStream(name)) {
                    if (resource == null) {
                        throw new IllegalStateException("the lab guest source " + name + " is not on the class path "
                                + "beside " + LabGuest.class.getName());
                    }
                    byte[] content = resource.readAllBytes();
                    contents.put(name, content);
                    digest.update(name.getBytes(UTF_8));
                    digest.update(content);
                }
            }
            String checksum = HexFormat.of().formatHex(digest.digest()).substring(0, 16);
            Path directory = cacheDirectory.resolve("sources-" + checksum).toAbsolutePath();
            Files.createDirectories(directory);
            for (Map.Entry<String, byte[]> source : contents.entrySet()) {
                Path target = directory.resolve(source.getKey());
                if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), source.getValue())) {
                    continue;
                }
                Path temporary = Files.createTempFile(directory, source.getKey(), ".new");
                Files.write(temporary, source.getValue());
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the lab guest sources into " + cacheDirectory, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * Runs the command, keeps its last output lines in {@code lastLines} (all of them when not echoed) and echoes each
     * line to standard output when asked, so a test log shows what was downloaded and built. A command that does not
     * finish in time is ended with everything it started.
     */
    private static int run(List<String> command, List<String> lastLines, boolean echo) {
        Deque<String> tail = new ArrayDeque<>();
        CommandResult result;
        try (RunningCommand build = PROCESSES.start(HostCommand.of(BUILD_TIMEOUT, command), Map.of(), line -> {
            if (echo) {
                System.out.println(line);
            }
            synchronized (tail) {
                tail.addLast(line);
                if (echo && tail.size() > OUTPUT_LINES_IN_MESSAGES) {
                    tail.removeFirst();
                }
            }
        })) {
            result = build.await();
        }
        if (result.timedOut()) {
            throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                    + BUILD_TIMEOUT.toMinutes() + " minutes");
        }
        synchronized (tail) {
            lastLines.addAll(tail);
        }
        return result.exitCode();
    }
}
