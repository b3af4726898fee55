package io.livcloud.plugin.kvm.probe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A host's {@code /proc} and {@code /sys} as {@link HostInspection} reads them: this machine's ({@link
 * LocalHostFiles}, also over a fixture tree in tests) or another host's through its host access ({@link
 * RemoteHostFiles}), so that both are inspected by the same code. Every read answers with a {@link Reading}, never an
 * exception: what cannot be read is evidence too. Only a host that cannot be reached at all throws (the host access's
 * {@link io.livcloud.spi.ExtensionException}).
 */
public interface HostFiles {

    /** This machine's files. */
    static HostFiles system() {
        return new LocalHostFiles(Path.of("/"));
    }

    /** A file's bytes, as they are (binary-safe). */
    Reading<byte[]> bytes(String absolutePath);

    /** Whether the path exists (a file, a directory, a device). */
    boolean exists(String absolutePath);

    /** The names in a directory, sorted; empty when it does not exist. */
    List<String> list(String absolutePath);

    /** A text file, trailing white space removed. */
    default Reading<String> text(String absolutePath) {
        Reading<byte[]> raw = bytes(absolutePath);
        return raw.value().map(data -> Reading.read(new String(data, StandardCharsets.UTF_8).strip()))
                .orElseGet(() -> Reading.withoutValue(raw));
    }

    /** A gzip-compressed text file such as {@code /proc/config.gz}, uncompressed. */
    default Reading<String> gzipText(String absolutePath) {
        Reading<byte[]> raw = bytes(absolutePath);
        if (raw.value().isEmpty()) {
            return Reading.withoutValue(raw);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw.value().get()))) {
            return Reading.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Reading.unreadable(absolutePath + ": " + e.getMessage());
        }
    }
}
