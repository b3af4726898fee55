package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostCommand;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Another host's files, through its host access: contents by {@link HostAccess#readFile} (binary-safe, so
 * {@code /proc/config.gz} arrives as the gzip it is), existence by {@code test -e} and folders by {@code ls -A}. The
 * host access answers "no contents" alike for a missing file and for one it may not read; {@code test -e} tells them
 * apart, so that only the second is reported unreadable.
 */
final class RemoteHostFiles implements HostFiles {

    /** Far more than any file the probe reads: {@code /proc/cpuinfo} of a 448-CPU host is about 1 MiB. */
    static final int MAX_BYTES = 16 << 20;

    private final HostAccess host;

    RemoteHostFiles(HostAccess host) {
        this.host = Objects.requireNonNull(host, "host is null");
    }

    @Override
    public Reading<byte[]> bytes(String absolutePath) {
        Optional<byte[]> content = host.readFile(absolutePath, MAX_BYTES);
        if (content.isPresent()) {
            return Reading.read(content.get());
        }
        return exists(absolutePath)
                ? Reading.unreadable(OverHostAccess.unreadable(absolutePath + " exists on " + host.target()
                        + " but its contents could not be read (not root there?)"))
                : Reading.absent(absolutePath + " does not exist");
    }

    @Override
    public boolean exists(String absolutePath) {
        return host.run(HostCommand.of(OverHostAccess.TIMEOUT, "test", "-e", absolutePath)).succeeded();
    }

    @Override
    public List<String> list(String absolutePath) {
        CommandResult result = host.run(HostCommand.of(OverHostAccess.TIMEOUT, "ls", "-A", "--", absolutePath));
        if (!result.succeeded()) {
            return List.of();
        }
        return result.stdout().lines().filter(name -> !name.isEmpty()).sorted().toList();
    }
}
