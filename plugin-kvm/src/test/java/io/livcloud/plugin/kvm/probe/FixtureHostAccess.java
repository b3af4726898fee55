package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.testing.FakeHostAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A fixture host ({@link FixtureHost}) reached through host access: a {@link FakeHostAccess} whose files are the
 * fixture's tree and whose programs answer the remote probe's commands ({@code test}, {@code ls}, the device scripts
 * of {@link RemoteHostDevices}, the copy and the boot of {@link RemoteGuestBoot}) from the same tree and
 * {@code devices.properties}; so the remote probe can be held against the local one on the same host.
 */
final class FixtureHostAccess {

    static final String FOLDER = "/tmp/livcloud-probe.fixture";

    private final Path root;
    private final HostDevices devices;
    private final FakeHostAccess fake;
    private final Map<String, byte[]> copied = new ConcurrentHashMap<>();
    private volatile GuestBoot boot;
    private volatile boolean ioctlInterpreter = true;
    private volatile String copyFailure;

    private FixtureHostAccess(String name, Path temporary) {
        this.root = FixtureHost.root(name, temporary);
        this.devices = FixtureHost.devices(name);
        this.fake = new FakeHostAccess("fake ssh root@" + name);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                fake.file("/" + root.relativize(path), Files.readAllBytes(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fake.program("test", command -> exit(Files.exists(local(command.argv().get(2))) ? 0 : 1, ""))
                .program("ls", this::list)
                .program("sh", this::script)
                .program("mktemp", FOLDER + "\n")
                .program("rm", "");
    }

    /** The fixture {@code name}, copied under {@code temporary}. */
    static FixtureHostAccess of(String name, Path temporary) {
        return new FixtureHostAccess(name, temporary);
    }

    /** QEMU on this host boots as {@code guestBoot} says. */
    FixtureHostAccess booting(GuestBoot guestBoot) {
        this.boot = guestBoot;
        return this;
    }

    /** A host with neither perl nor python3: nothing there makes an ioctl. */
    FixtureHostAccess withoutIoctlInterpreter() {
        this.ioctlInterpreter = false;
        return this;
    }

    /** A file that is there but gives no contents, as one the host access's user may not read. */
    FixtureHostAccess unreadable(String absolutePath) {
        fake.noFile(absolutePath);
        return this;
    }

    /** A file that is not there at all. */
    FixtureHostAccess without(String absolutePath) {
        fake.noFile(absolutePath);
        try {
            Files.delete(local(absolutePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Copying to the host fails with this message, as on a full disk. */
    FixtureHostAccess failingCopy(String message) {
        this.copyFailure = message;
        return this;
    }

    /** The host access. */
    FakeHostAccess fake() {
        return fake;
    }

    /** What the copy script wrote on the host, by path. */
    Map<String, byte[]> copied() {
        return Map.copyOf(copied);
    }

    private Path local(String absolutePath) {
        return root.resolve(absolutePath.substring(1));
    }

    private CommandResult list(HostCommand command) {
        Path directory = local(command.argv().get(command.argv().size() - 1));
        try (Stream<Path> entries = Files.list(directory)) {
            return exit(0, String.join("\n", entries.map(path -> path.getFileName().toString()).toList()) + "\n");
        } catch (IOException e) {
            return new CommandResult(2, "", "ls: cannot access '" + directory + "': No such file or directory");
        }
    }

    private CommandResult script(HostCommand command) {
        List<String> argv = command.argv();
        String script = argv.get(2);
        if (script.equals(RemoteHostDevices.READ_AT)) {
            return readAt(argv.get(4), Long.parseLong(argv.get(6)));
        }
        if (script.equals(RemoteHostDevices.OPEN_READ_WRITE)) {
            return answer(devices.kvmOpenable(), opened -> "", "sh: 2: cannot create /dev/kvm: Permission denied");
        }
        if (script.equals(RemoteHostDevices.IOCTL)) {
            if (!ioctlInterpreter) {
                return exit(RemoteHostDevices.NO_INTERPRETER, "");
            }
            Reading<Integer> answer = argv.get(7).equals("0xAE00") ? devices.kvmApiVersion()
                    : devices.kvmCheckExtension(Integer.parseInt(argv.get(8)));
            return answer(answer, value -> value + "\n", "open /dev/kvm: Permission denied");
        }
        if (script.equals(RemoteGuestBoot.COPY) && copyFailure != null) {
            return new CommandResult(1, "", copyFailure);
        }
        if (script.equals(RemoteGuestBoot.COPY)) {
            byte[] content = command.stdin();
            copied.put(argv.get(4), content);
            return exit(0, content.length + "\n");
        }
        if (script.equals(RemoteGuestBoot.BOOT)) {
            return boot(argv);
        }
        return new CommandResult(2, "", "sh: a script this fake does not know");
    }

    private CommandResult readAt(String device, long offset) {
        if (device.equals(LinuxHostDevices.CPUID)) {
            return answer(devices.cpuid(offset), registers -> {
                ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                for (int register : registers) {
                    bytes.putInt(register);
                }
                return hex(bytes.array());
            }, "dd: failed to open '" + device + "': Permission denied");
        }
        return answer(devices.msr(offset), value -> hex(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(value).array()), "dd: error reading '" + device + "': Input/output error");
    }

    private CommandResult boot(List<String> argv) {
        List<String> qemu = argv.subList(7, argv.size());
        Accelerator accelerator = qemu.get(qemu.indexOf("-accel") + 1).equals("kvm") ? Accelerator.KVM
                : Accelerator.TCG;
        GuestBoot.Outcome outcome = boot.boot(accelerator, Duration.ofSeconds(Long.parseLong(argv.get(6))));
        if (!outcome.started()) {
            return exit(127, "sh: 4: " + qemu.get(0) + ": not found\n");
        }
        return outcome.reachedUserSpace()
                ? exit(0, "SeaBIOS (version 1.16.2)\n" + argv.get(5) + " arch=x86_64 bits=64\n")
                : exit(RemoteGuestBoot.TIMED_OUT, "Booting the kernel.\n");
    }

    /** How the scripts answer a device's reading: exit 3 when absent, a failure when unreadable. */
    private static <T> CommandResult answer(Reading<T> reading, Function<T, String> printed,
            String unreadable) {
        return switch (reading.state()) {
            case READ -> exit(0, printed.apply(reading.value().orElseThrow()));
            case ABSENT -> exit(RemoteHostDevices.ABSENT, "");
            case UNREADABLE -> new CommandResult(1, "", unreadable);
        };
    }

    private static String hex(byte[] bytes) {
        HexFormat format = HexFormat.ofDelimiter(" ");
        return " " + format.formatHex(bytes) + "\n";
    }

    private static CommandResult exit(int code, String stdout) {
        return new CommandResult(code, stdout, "");
    }
}
