package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.probe.HostFacts;
import io.livcloud.plugin.kvm.probe.HostInspection;
import io.livcloud.plugin.toolkit.host.LocalSocketRelay;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where one {@link KvmConnection}'s libvirtd is: the URI libvirt connects to from here, the URI as the caller gave it
 * (what {@code uri()} answers and {@code virsh} hints name), the name messages use, and the host's virtualization
 * facts when they are known.
 *
 * <p>A host reached through host access is reached at a {@link LocalSocketRelay} to its libvirt socket: libvirt's C
 * library takes a socket path, not a Java stream. The relay stays open while anything still uses it: the connection,
 * and each migration job started or found through it (a job outlives the connection that started it and has libvirt
 * connections of its own through the relay). Each of them {@linkplain #hold holds} it; the last release closes it and
 * removes its folder.
 */
final class LibvirtEndpoint {

    private final LibvirtUri reach;
    private final String uri;
    private final String name;
    private final Supplier<Optional<HostFacts>> facts;
    private final Optional<Relayed> relayed;
    /** The connection's own use counts as one; each job's as another. */
    private final AtomicInteger users = new AtomicInteger(1);
    private final AtomicBoolean ownUseEnded = new AtomicBoolean();

    private LibvirtEndpoint(LibvirtUri reach, String uri, String name, Supplier<Optional<HostFacts>> facts,
            Optional<Relayed> relayed) {
        this.reach = reach;
        this.uri = uri;
        this.name = name;
        this.facts = facts;
        this.relayed = relayed;
    }

    /** The relay to a host's socket, its folder here, and what it stands for in messages. */
    private record Relayed(LocalSocketRelay relay, Path folder, String socket, String target) {
    }

    /**
     * A daemon libvirt reaches at {@code uri} itself.
     *
     * @param localHost this machine's facts, which describe the host when the URI is this machine's
     */
    static LibvirtEndpoint direct(LibvirtUri uri, Supplier<Optional<HostFacts>> localHost) {
        return new LibvirtEndpoint(uri, uri.value(), uri.value(), uri.local() ? localHost : Optional::empty,
                Optional.empty());
    }

    /**
     * The daemon at {@code socket} on the host behind {@code host}, relayed into a new private folder under
     * {@code work}. Its facts are inspected through the host access, once, when first asked.
     *
     * @throws ExtensionException when the relay's folder or socket cannot be made
     */
    static LibvirtEndpoint relayed(LibvirtUri onHost, String socket, HostAccess host, Path work) {
        Path folder;
        try {
            folder = newFolder(work);
        } catch (IOException e) {
            throw new ExtensionException(KvmErrorCode.CONNECT_FAILED, "cannot make a folder under " + work
                    + " for the relay to " + socket + " on " + host.target() + ": " + e, "check that " + work
                    + " is writable by LivCloud", e);
        }
        LocalSocketRelay relay;
        try {
            relay = LocalSocketRelay.open(host, socket, folder);
        } catch (RuntimeException e) {
            deleteQuietly(folder);
            throw e;
        }
        return new LibvirtEndpoint(onHost.throughSocket(relay.path()), onHost.value(),
                onHost.value() + " on " + host.target(), new InspectedOnce(host),
                Optional.of(new Relayed(relay, folder, socket, host.target())));
    }

    /** The URI libvirt connects to from here; also how another connection of this process reaches this host. */
    LibvirtUri reach() {
        return reach;
    }

    /** The URI as the caller gave it; for a host reached through host access, as seen on that host. */
    String uri() {
        return uri;
    }

    /** The host's virtualization facts; empty when unknown (libvirt's capabilities must tell). */
    Optional<HostFacts> hostFacts() {
        return facts.get();
    }

    /** What to do when libvirt cannot be reached there. */
    String connectRemedy() {
        return relayed.map(r -> "check that libvirtd runs on " + r.target() + " with its socket at " + r.socket()
                + " (systemctl status libvirtd there) and that the host access logs in as a user who may use it"
                + " (root, or a member of group libvirt)").orElseGet(reach::connectRemedy);
    }

    /** A libvirt message with the relay's local path replaced by what it stands for. */
    String explain(String libvirtMessage) {
        return relayed.map(r -> libvirtMessage.replace(r.relay().path().toString(), r.socket() + " on " + r.target()))
                .orElse(libvirtMessage);
    }

    /**
     * Keeps the relay open for one more user, such as a migration job.
     *
     * @return the release, to run once when that user is done (running it again does nothing)
     */
    Runnable hold() {
        users.incrementAndGet();
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                leave();
            }
        };
    }

    /** Ends the connection's own use; again does nothing. */
    void release() {
        if (ownUseEnded.compareAndSet(false, true)) {
            leave();
        }
    }

    private void leave() {
        if (users.decrementAndGet() == 0) {
            relayed.ifPresent(r -> {
                r.relay().close();
                deleteQuietly(r.folder());
            });
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** Inspects the host on first use, once: its hardware does not change while a connection is open. */
    private static final class InspectedOnce implements Supplier<Optional<HostFacts>> {
        private final HostAccess host;
        private Optional<HostFacts> facts;

        InspectedOnce(HostAccess host) {
            this.host = host;
        }

        @Override
        public synchronized Optional<HostFacts> get() {
            if (facts == null) {
                try {
                    facts = Optional.of(HostInspection.ofHost(host));
                } catch (ExtensionException e) {
                    facts = Optional.empty(); // the host went away meanwhile: libvirt's capabilities answer instead
                }
            }
            return facts;
        }
    }

    /**
     * A folder of the relay's own (0700), so that two connections' relays never take each other's socket name. Its
     * name is short: a Unix socket's path may have at most 107 bytes, and the work directory's may be long.
     */
    private static Path newFolder(Path work) throws IOException {
        Files.createDirectories(work);
        for (int attempt = 1; ; attempt++) {
            Path folder = work.resolve("r" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
            try {
                return Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static void deleteQuietly(Path folder) {
        try {
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // An empty folder of this plugin's own work directory: harmless if it stays.
        }
    }
}
