package io.livcloud.core.host;

import io.livcloud.spi.ErrorCode;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Secret;
import io.livcloud.spi.SecretStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keeps each secret in its own file, mode 0600, in a folder of mode 0700 per plugin. Writes go to a temporary file
 * that is renamed into place, so a crash never leaves half a key.
 */
public final class FileSecretStore implements SecretStore {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]*");

    private final Path directory;

    /**
     * @param directory the plugin's secrets folder; created on first write
     */
    public FileSecretStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory is null");
    }

    @Override
    public Optional<Secret> get(String name) {
        Path file = fileFor(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
            char[] value = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(chars.array(), '\0');
            Secret secret = Secret.of(value);
            Arrays.fill(value, '\0');
            return Optional.of(secret);
        } catch (IOException e) {
            throw failure("cannot read secret '" + name + "' from " + file, e);
        }
    }

    @Override
    public void put(String name, Secret secret) {
        Objects.requireNonNull(secret, "secret is null");
        Path file = fileFor(name);
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path temporary = Files.createTempFile(directory, ".secret-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.UTF_8.encode(secret.reveal()));
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw failure("cannot store secret '" + name + "' in " + directory, e);
        }
    }

    @Override
    public void delete(String name) {
        Path file = fileFor(name);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw failure("cannot delete secret '" + name + "' at " + file, e);
        }
    }

    private Path fileFor(String name) {
        Objects.requireNonNull(name, "name is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("secret name '" + name + "' must be lower case letters, digits, dots "
                    + "and dashes");
        }
        return directory.resolve(name);
    }

    private static ExtensionException failure(String message, IOException cause) {
        return new ExtensionException(HostErrorCode.SECRET_STORE_FAILED, message + ": " + cause.getMessage(),
                "check that the LivCloud state directory is writable by this user", cause);
    }

    /** Errors of the host services. */
    enum HostErrorCode implements ErrorCode {
        SECRET_STORE_FAILED;

        @Override
        public String code() {
            return name();
        }
    }
}
