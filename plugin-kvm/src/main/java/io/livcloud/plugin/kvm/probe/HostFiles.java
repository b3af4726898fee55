package io.livcloud.plugin.kvm.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The host's {@code /proc} and {@code /sys}, read relative to a root: {@code /} on a real host, a fixture tree in
 * tests. Every read answers with a {@link Reading}, never an exception: what cannot be read is evidence too.
 */
public final class HostFiles {

    private final Path root;

    /** Files under {@code root}; {@code Path.of("/")} for this machine. */
    public HostFiles(Path root) {
        this.root = Objects.requireNonNull(root, "root is null");
    }

    /** This machine's files. */
    public static HostFiles system() {
        return new HostFiles(Path.of("/"));
    }

    private Path resolve(String absolutePath) {
        return root.resolve(absolutePath.substring(1));
    }

    /** Whether the path exists (a file, a directory, a device). */
    public boolean exists(String absolutePath) {
        return Files.exists(resolve(absolutePath));
    }

    /** A text file, trailing white space removed. */
    public Reading<String> text(String absolutePath) {
        Reading<byte[]> raw = bytes(absolutePath, false);
        return raw.value().map(data -> Reading.read(new String(data, StandardCharsets.UTF_8).strip()))
                .orElseGet(() -> Reading.withoutValue(raw));
    }

    /** A gzip-compressed text file such as {@code /proc/config.gz}, uncompressed. */
    public Reading<String> gzipText(String absolutePath) {
        Reading<byte[]> raw = bytes(absolutePath, true);
        return raw.value().map(data -> Reading.read(new String(data, StandardCharsets.UTF_8)))
                .orElseGet(() -> Reading.withoutValue(raw));
    }

    /** The names in a directory, sorted; empty when it does not exist. */
    public List<String> list(String absolutePath) {
        try (Stream<Path> entries = Files.list(resolve(absolutePath))) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private Reading<byte[]> bytes(String absolutePath, boolean gzip) {
        Path path = resolve(absolutePath);
        try (InputStream in = gzip ? new GZIPInputStream(Files.newInputStream(path)) : Files.newInputStream(path)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return Reading.read(out.toByteArray());
        } catch (NoSuchFileException e) {
            return Reading.absent(absolutePath + " does not exist");
        } catch (AccessDeniedException e) {
            return Reading.unreadable("permission denied reading " + absolutePath + " (not root?)");
        } catch (IOException e) {
            return Reading.unreadable(absolutePath + ": " + e.getMessage());
        }
    }
}
