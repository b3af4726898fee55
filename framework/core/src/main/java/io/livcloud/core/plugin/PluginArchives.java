package io.livcloud.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Expands plugin zips into a cache folder keyed by the zip's content, so that the plugins folder itself may be
 * read-only, a replaced zip is picked up at once, and a half-expanded zip (crash, full disk) is never used.
 */
final class PluginArchives {

    private final Path expansionRoot;

    PluginArchives(Path expansionRoot) {
        this.expansionRoot = expansionRoot;
    }

    /**
     * The expanded folder for {@code zip}, expanding it first if needed.
     *
     * @throws IOException if the zip cannot be read or expanded; the message says which and why
     */
    Path expand(Path zip) throws IOException {
        String name = zip.getFileName().toString().replaceFirst("(?i)\\.zip$", "");
        Path target = expansionRoot.resolve(name + "-" + contentHash(zip));
        if (Files.isDirectory(target)) {
            return target;
        }
        Files.createDirectories(expansionRoot);
        Path staging = Files.createTempDirectory(expansionRoot, ".expanding-" + name + "-");
        try {
            unzip(zip, staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
                // Another process expanded the same content first; its copy is as good as ours.
                if (!Files.isDirectory(target)) {
                    throw raced;
                }
            }
            return target;
        } finally {
            deleteRecursively(staging);
        }
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path destination = into.resolve(entry.getName()).normalize();
                if (!destination.startsWith(into)) {
                    throw new IOException("entry '" + entry.getName() + "' points outside the plugin folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    Files.copy(in, destination);
                }
            }
        }
    }

    private static String contentHash(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
