package io.livcloud.labtools;

import io.livcloud.LivCloudException;
import io.livcloud.lab.guest.DomainSpec;
import io.livcloud.lab.guest.GuestImage;
import io.livcloud.lab.guest.GuestNic;
import io.livcloud.lab.guest.Heartbeat;
import io.livcloud.lab.guest.HeartbeatLog;
import io.livcloud.lab.guest.LabGuest;
import io.livcloud.spi.provider.Site;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The bench's lab guest on two lab sites: one 256 MiB guest for the whole bench whose dirty rate is changed at run
 * time through its control line (ttyS1), so every run starts from the same guest in the same state. Whether it is
 * alive is judged from its own heartbeat on the serial console of the site it runs at, never from libvirt's
 * {@code running}: a corrupted guest can halt while QEMU says it runs.
 */
final class BenchGuest {

    static final int MEMORY_MIB = DomainSpec.DEFAULT_MEMORY_MIB;
    static final int WORKING_SET_MIB = DomainSpec.DEFAULT_WORKING_SET_MIB;
    private static final Duration BOOT_WAIT = Duration.ofSeconds(90);
    private static final Duration BEAT_WAIT = Duration.ofSeconds(30);
    private static final Duration RESEND_AFTER = Duration.ofSeconds(5);
    /** New heartbeats (100 ms apart) a guest must show after a move to count as alive. */
    private static final int BEATS_AFTER = 10;

    /** A MAC in QEMU's range for the bench guest; its address on the VM segment is .20 (the demo's is .10). */
    private static final String MAC = "52:54:00:63:64:14";
    private static final int HOST_NUMBER = 20;

    private final String name;
    private final Map<String, Site> sites;
    private final Optional<GuestNic> nic;
    private String runsAt;

    BenchGuest(String name, Site from, Site to) {
        this.name = name;
        this.sites = Map.of(from.name(), from, to.name(), to);
        this.runsAt = from.name();
        this.nic = SegmentGuests.nic(from, MAC, HOST_NUMBER);
    }

    /**
     * The guest's card on the VM segment the tunnel stretches, when the sites have one: the engine's policy probes it
     * there, which measures the gap its clients see.
     */
    Optional<GuestNic> nic() {
        return nic;
    }

    String name() {
        return name;
    }

    String runsAt() {
        return runsAt;
    }

    void movedTo(String site) {
        runsAt = site;
    }

    Virsh virsh(String site) {
        return new Virsh(site(site).hypervisorHosts().get(0).hypervisorUri());
    }

    Site site(String site) {
        Site found = sites.get(site);
        if (found == null) {
            throw new IllegalArgumentException("the bench guest knows sites " + sites.keySet() + ", not " + site);
        }
        return found;
    }

    /** Removes any earlier bench guest from both sites and boots a fresh one at {@code at}, idle. */
    void boot(String at) throws IOException, InterruptedException, TimeoutException {
        remove();
        GuestImage image = buildImage();
        DomainSpec plain = DomainSpec.of(name, image, "/var/log/libvirt/qemu/" + name + "-serial.log",
                "/run/libvirt/qemu/" + name + "-control.sock").withWorkingSetMiB(WORKING_SET_MIB);
        DomainSpec domain = nic.map(plain::withNic).orElse(plain);
        Path xml = Files.createTempFile("livcloud-bench-", ".xml");
        try {
            Files.writeString(xml, LabGuest.domainXml(domain));
            virsh(at).must("define the bench guest", "define", xml.toString());
            virsh(at).must("start the bench guest", "start", name);
        } finally {
            Files.deleteIfExists(xml);
        }
        runsAt = at;
        log(at).waitForSequence(20, BOOT_WAIT);
    }

    /**
     * The guest image, built if needed. The build reports its progress on standard output, which is the bench's
     * table: it goes to standard error instead, with the bench's own progress.
     */
    private static GuestImage buildImage() throws IOException {
        PrintStream out = System.out;
        System.setOut(System.err);
        try {
            return LabGuest.build(LabGuest.X86_64, LabGuest.defaultCacheDirectory());
        } finally {
            System.setOut(out);
        }
    }

    /** Destroys and undefines the guest on both sites and deletes its logs there. */
    void remove() throws IOException {
        for (String site : sites.keySet()) {
            virsh(site).remove(name);
            Files.deleteIfExists(serialLog(site));
        }
    }

    /**
     * Sets the workload's dirty rate and waits until a heartbeat after the change reports it: from then on the
     * working set is being dirtied at that rate. The connection stays open until then: QEMU drops what the guest's
     * UART has not taken yet when the client hangs up, and a line that lost its end would join the next one. A line
     * not acknowledged within a few seconds is sent again, after a line break that ends whatever came before.
     */
    void setDirtyRate(int mebibytesPerSecond) throws IOException, InterruptedException, TimeoutException {
        HeartbeatLog log = log(runsAt);
        long before = log.lastSequence();
        Path socket = controlSocket(runsAt);
        byte[] line = ("rate " + mebibytesPerSecond + "\n").getBytes(StandardCharsets.US_ASCII);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            long deadline = System.nanoTime() + BEAT_WAIT.toNanos();
            long resendAt = 0;
            while (System.nanoTime() < deadline) {
                if (System.nanoTime() >= resendAt) {
                    ByteBuffer bytes = ByteBuffer.wrap(resendAt == 0 ? line : ("\n" + new String(line,
                            StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    resendAt = System.nanoTime() + RESEND_AFTER.toNanos();
                }
                if (log.heartbeats().stream().anyMatch(beat -> beat.sequence() > before
                        && beat.dirtyRateMiBps() == mebibytesPerSecond)) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new TimeoutException("the bench guest at " + runsAt + " did not take the dirty rate "
                + mebibytesPerSecond + " MiB/s within " + BEAT_WAIT.toSeconds() + " s (control socket " + socket
                + ", log " + log.path() + ")");
    }

    /** The last heartbeat's sequence where the guest runs now. */
    long lastSequence() {
        return log(runsAt).lastSequence();
    }

    /** Deletes the guest's old serial log at a site it is about to arrive at, so the log there is only this visit. */
    void prepareArrival(String site) throws IOException {
        Files.deleteIfExists(serialLog(site));
    }

    /**
     * Whether the guest, wherever it runs now, beats on past {@code sequence} without having restarted.
     */
    boolean beatsOnAfter(long sequence) throws InterruptedException {
        HeartbeatLog log = log(runsAt);
        try {
            log.waitForSequence(sequence + BEATS_AFTER, BEAT_WAIT);
            return !log.hasReset();
        } catch (TimeoutException e) {
            return false;
        }
    }

    private HeartbeatLog log(String site) {
        return HeartbeatLog.of(serialLog(site));
    }

    /** Each lab site's /var/log/libvirt and /run/libvirt are folders of its own under the lab directory. */
    private Path serialLog(String site) {
        return siteDirectory(site).resolve("log").resolve("qemu").resolve(name + "-serial.log");
    }

    private Path controlSocket(String site) {
        return siteDirectory(site).resolve("run").resolve("qemu").resolve(name + "-control.sock");
    }

    private Path siteDirectory(String site) {
        String directory = site(site).attributes().get("directory");
        if (directory == null) {
            throw new LivCloudException("site " + site + " does not say where its files are", "the bench runs on"
                    + " lab sites (provider = lab)");
        }
        return Path.of(directory);
    }
}
