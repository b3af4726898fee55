package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostCommand;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Another host's CPU and KVM devices, through programs run there by its host access, each given its arguments as an
 * argument vector (scripts read them as {@code "$1"}, nothing is pasted into a shell line):
 *
 * <ul>
 *   <li>CPUID and MSRs: {@code dd} reads the {@code cpuid} or {@code msr} device at the leaf's or register's offset
 *       ({@code iflag=skip_bytes}: the offset is the number itself, not a count of blocks) and {@code od} prints the
 *       bytes in hex, because a command's output arrives as text;
 *   <li>{@code /dev/kvm} opening read-write: the shell's {@code <>} redirection, the same {@code open(O_RDWR)} this
 *       machine's probe makes;
 *   <li>the {@code /dev/kvm} ioctls: no standard command makes an ioctl, so {@code perl} (in every Debian and Ubuntu
 *       base system) or else {@code python3} does; a host with neither gives evidence "unreadable over host access".
 * </ul>
 *
 * <p>Absent devices read as absent with the reasons {@link LinuxHostDevices} gives, so the two agree on the same host.
 */
final class RemoteHostDevices implements HostDevices {

    /** The exit code the scripts below give when the device does not exist. */
    static final int ABSENT = 3;
    /** The exit code of {@link #IOCTL} when the host has neither perl nor python3. */
    static final int NO_INTERPRETER = 4;

    /**
     * {@code $2} bytes of device {@code $1} at offset {@code $3}, in hex. POSIX sh has no {@code pipefail}: dd's own
     * exit code leaves the pipeline on descriptor 5, so a failed read is not hidden behind od's success.
     */
    static final String READ_AT = """
            [ -e "$1" ] || exit 3
            exec 4>&1
            status=$( { { dd if="$1" bs="$2" count=1 skip="$3" iflag=skip_bytes; echo $? >&5; } \
            | od -An -v -tx1 >&4; } 5>&1 )
            exit "$status"
            """;
    /** Opens device {@code $1} read-write and closes it again. */
    static final String OPEN_READ_WRITE = """
            [ -e "$1" ] || exit 3
            : <>"$1"
            """;
    /**
     * Runs {@code $1} with perl, or else {@code $2} with python3, on device {@code $3} with ioctl {@code $4} and
     * argument {@code $5}.
     */
    static final String IOCTL = """
            if command -v perl >/dev/null 2>&1; then exec perl -e "$1" "$3" "$4" "$5"; fi
            if command -v python3 >/dev/null 2>&1; then exec python3 -c "$2" "$3" "$4" "$5"; fi
            exit 4
            """;
    /** {@code int()} gives a number without a string value, which perl's ioctl passes as the argument itself. */
    static final String PERL_IOCTL = """
            -e $ARGV[0] or exit 3;
            open(my $device, "+<", $ARGV[0]) or do { print STDERR "open $ARGV[0]: $!\\n"; exit 1 };
            my $answer = ioctl($device, hex($ARGV[1]), int($ARGV[2]));
            defined $answer or do { print STDERR "ioctl $ARGV[1] on $ARGV[0]: $!\\n"; exit 1 };
            print $answer + 0, "\\n";
            """;
    static final String PYTHON_IOCTL = """
            import fcntl, os, sys
            if not os.path.exists(sys.argv[1]):
                sys.exit(3)
            try:
                device = os.open(sys.argv[1], os.O_RDWR | os.O_CLOEXEC)
                print(fcntl.ioctl(device, int(sys.argv[2], 16), int(sys.argv[3])))
            except OSError as e:
                sys.stderr.write("ioctl %s on %s: %s\\n" % (sys.argv[2], sys.argv[1], e.strerror))
                sys.exit(1)
            """;
    private static final long KVM_GET_API_VERSION = 0xAE00L;
    private static final long KVM_CHECK_EXTENSION = 0xAE03L;

    private final HostAccess host;

    RemoteHostDevices(HostAccess host) {
        this.host = Objects.requireNonNull(host, "host is null");
    }

    @Override
    public Reading<int[]> cpuid(long leaf) {
        return LinuxHostDevices.cpuidRegisters(readAt(LinuxHostDevices.CPUID, leaf, 16,
                LinuxHostDevices.CPUID_ABSENT));
    }

    @Override
    public Reading<Long> msr(long register) {
        return LinuxHostDevices.msrValue(readAt(LinuxHostDevices.MSR, register, 8, LinuxHostDevices.MSR_ABSENT));
    }

    private Reading<ByteBuffer> readAt(String device, long offset, int length, String absentReason) {
        HostCommand command = HostCommand.of(OverHostAccess.TIMEOUT, "sh", "-c", READ_AT, "sh", device,
                Integer.toString(length), Long.toString(offset));
        CommandResult result = host.run(command);
        if (result.exitCode() == ABSENT) {
            return Reading.absent(device + " does not exist: " + absentReason);
        }
        String where = device + " at 0x" + Long.toHexString(offset);
        if (!result.succeeded()) {
            return Reading.unreadable(OverHostAccess.unreadable(where + ": " + OverHostAccess.failure(command,
                    result)));
        }
        String[] words = result.stdout().strip().split("\\s+");
        if (words.length != length || !Arrays.stream(words).allMatch(word -> word.matches("[0-9a-f]{2}"))) {
            return Reading.unreadable(OverHostAccess.unreadable(where + " gave '" + result.stdout().strip()
                    + "' instead of " + length + " bytes"));
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        for (String word : words) {
            buffer.put((byte) Integer.parseInt(word, 16));
        }
        return Reading.read(buffer.flip());
    }

    @Override
    public Reading<Boolean> kvmOpenable() {
        HostCommand command = HostCommand.of(OverHostAccess.TIMEOUT, "sh", "-c", OPEN_READ_WRITE, "sh",
                LinuxHostDevices.KVM);
        CommandResult result = host.run(command);
        if (result.exitCode() == ABSENT) {
            return kvmAbsent();
        }
        return result.succeeded() ? Reading.read(true)
                : Reading.unreadable(OverHostAccess.unreadable("opening " + LinuxHostDevices.KVM + " read-write: "
                        + OverHostAccess.failure(command, result)));
    }

    @Override
    public Reading<Integer> kvmApiVersion() {
        return ioctl(KVM_GET_API_VERSION, 0);
    }

    @Override
    public Reading<Integer> kvmCheckExtension(int capability) {
        return ioctl(KVM_CHECK_EXTENSION, capability);
    }

    private Reading<Integer> ioctl(long request, int argument) {
        String number = String.format("0x%X", request);
        HostCommand command = HostCommand.of(OverHostAccess.TIMEOUT, "sh", "-c", IOCTL, "sh", PERL_IOCTL,
                PYTHON_IOCTL, LinuxHostDevices.KVM, number, Integer.toString(argument));
        CommandResult result = host.run(command);
        String call = "ioctl " + number + " on " + LinuxHostDevices.KVM;
        if (result.exitCode() == ABSENT) {
            return kvmAbsent();
        }
        if (result.exitCode() == NO_INTERPRETER) {
            return Reading.unreadable(OverHostAccess.unreadable(call + ": " + host.target() + " has neither perl "
                    + "nor python3, and no standard command makes an ioctl"));
        }
        if (!result.succeeded()) {
            return Reading.unreadable(OverHostAccess.unreadable(call + ": " + result.output()));
        }
        try {
            return Reading.read(Integer.parseInt(result.stdout().strip()));
        } catch (NumberFormatException e) {
            return Reading.unreadable(OverHostAccess.unreadable(call + " answered '" + result.stdout().strip()
                    + "'"));
        }
    }

    private static <T> Reading<T> kvmAbsent() {
        return Reading.absent(LinuxHostDevices.KVM + " does not exist: " + LinuxHostDevices.KVM_ABSENT);
    }
}
