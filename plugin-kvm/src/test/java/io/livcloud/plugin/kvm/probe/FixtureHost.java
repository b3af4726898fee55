package io.livcloud.plugin.kvm.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A host made of a fixture tree under {@code src/test/resources/probe/NAME}: {@code proc/}, {@code sys/} and
 * {@code dev/} as text files, copied into a temporary root (with {@code proc/config} gzipped into
 * {@code proc/config.gz}, as the kernel serves it), and {@code devices.properties} answering CPUID, MSR and
 * {@code /dev/kvm} ioctls.
 */
final class FixtureHost {

    private FixtureHost() {
    }

    /** Inspects the fixture {@code name}, copied under {@code temporary}. */
    static HostFacts inspect(String name, Path temporary) {
        return HostInspection.inspect(new LocalHostFiles(root(name, temporary)), devices(name));
    }

    /** The fixture's tree, copied under {@code temporary} as the kernel serves it: the root of its files. */
    static Path root(String name, Path temporary) {
        Path root = temporary.resolve(name + "-" + System.nanoTime());
        copy(resource(name), root);
        return root;
    }

    /** The fixture's devices, answering from its {@code devices.properties}. */
    static HostDevices devices(String name) {
        return new FixtureDevices(load(resource(name).resolve("devices.properties")));
    }

    private static Path resource(String name) {
        try {
            return Path.of(FixtureHost.class.getResource("/probe/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no fixture src/test/resources/probe/" + name, e);
        }
    }

    private static void copy(Path source, Path root) {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path target = root.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (source.relativize(path).toString().equals("proc/config")) {
                    try (InputStream in = Files.newInputStream(path);
                            OutputStream out = new GZIPOutputStream(
                                    Files.newOutputStream(target.resolveSibling("config.gz")))) {
                        in.transferTo(out);
                    }
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /**
     * Devices answering from properties: {@code cpuid.0xLEAF=EAX EBX ECX EDX}, {@code msr.0xREG=VALUE},
     * {@code kvm=API-VERSION}, {@code kvm.cap.N=VALUE}; {@code cpuid}, {@code msr} or {@code kvm} set to
     * {@code absent} or {@code unreadable} for the whole device. A leaf not listed reads as zeros (as CPUID does); a
     * register not listed is unreadable (the msr driver's EIO).
     */
    private record FixtureDevices(Properties answers) implements HostDevices {

        private <T> Reading<T> device(String key, String path) {
            String state = answers.getProperty(key, "");
            String absent = switch (key) {
                case "cpuid" -> LinuxHostDevices.CPUID_ABSENT;
                case "msr" -> LinuxHostDevices.MSR_ABSENT;
                default -> LinuxHostDevices.KVM_ABSENT;
            };
            return switch (state) {
                case "absent" -> Reading.absent(path + " does not exist: " + absent);
                case "unreadable" -> Reading.unreadable("permission denied opening " + path + " (fixture)");
                default -> null;
            };
        }

        @Override
        public Reading<int[]> cpuid(long leaf) {
            Reading<int[]> failed = device("cpuid", LinuxHostDevices.CPUID);
            if (failed != null) {
                return failed;
            }
            String value = answers.getProperty("cpuid.0x" + Long.toHexString(leaf), "0 0 0 0");
            return Reading.read(Stream.of(value.trim().split("\\s+"))
                    .mapToInt(word -> (int) Long.decode(word).longValue()).toArray());
        }

        @Override
        public Reading<Long> msr(long register) {
            Reading<Long> failed = device("msr", LinuxHostDevices.MSR);
            if (failed != null) {
                return failed;
            }
            String value = answers.getProperty("msr.0x" + Long.toHexString(register));
            return value == null ? Reading.unreadable("EIO reading MSR 0x" + Long.toHexString(register) + " (fixture)")
                    : Reading.read(Long.decode(value));
        }

        @Override
        public Reading<Boolean> kvmOpenable() {
            Reading<Boolean> failed = device("kvm", LinuxHostDevices.KVM);
            return failed != null ? failed : Reading.read(true);
        }

        @Override
        public Reading<Integer> kvmApiVersion() {
            Reading<Integer> failed = device("kvm", LinuxHostDevices.KVM);
            return failed != null ? failed : Reading.read(Integer.decode(answers.getProperty("kvm")));
        }

        @Override
        public Reading<Integer> kvmCheckExtension(int capability) {
            Reading<Integer> failed = device("kvm", LinuxHostDevices.KVM);
            return failed != null ? failed
                    : Reading.read(Integer.decode(answers.getProperty("kvm.cap." + capability, "0")));
        }
    }
}
