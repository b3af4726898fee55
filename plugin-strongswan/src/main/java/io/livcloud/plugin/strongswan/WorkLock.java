package io.livcloud.plugin.strongswan;

import io.livcloud.spi.ExtensionException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * An exclusive lock on the plugin's work folder across processes: two {@code livcloud tunnel} commands at once would
 * otherwise load, start and unload the same charons and records against each other.
 */
final class WorkLock {

    private final Path file;

    WorkLock(Path file) {
        this.file = file;
    }

    <T> T holding(String purpose, Supplier<T> action) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new ExtensionException(StrongSwanErrorCode.STATE_UNREADABLE, "cannot lock " + file + " to " + purpose
                    + ": " + e.getMessage(), "check that the folder is writable");
        }
    }
}
