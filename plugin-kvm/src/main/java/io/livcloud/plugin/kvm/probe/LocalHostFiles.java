package io.livcloud.plugin.kvm.probe;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Files read relative to a root on this machine: {@code /} for this machine itself, a fixture tree in tests. */
public final class LocalHostFiles implements HostFiles {

    private final Path root;

    /** Files under {@code root}; {@code Path.of("/")} for this machine. */
    public LocalHostFiles(Path root) {
        this.root = Objects.requireNonNull(root, "root is null");
    }

    private Path resolve(String absolutePath) {
        return root.resolve(absolutePath.substring(1));
    }

    @Override
    public boolean exists(String absolutePath) {
        return Files.exists(resolve(absolutePath));
    }

    @Override
    public List<String> list(String absolutePath) {
        try (Stream<Path> entries = Files.list(resolve(absolutePath))) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public Reading<byte[]> bytes(String absolutePath) {
        try {
            return Reading.read(Files.readAllBytes(resolve(absolutePath)));
        } catch (NoSuchFileException e) {
            return Reading.absent(absolutePath + " does not exist");
        } catch (AccessDeniedException e) {
            return Reading.unreadable("permission denied reading " + absolutePath + " (not root?)");
        } catch (IOException e) {
            return Reading.unreadable(absolutePath + ": " + e.getMessage());
        }
    }
}
