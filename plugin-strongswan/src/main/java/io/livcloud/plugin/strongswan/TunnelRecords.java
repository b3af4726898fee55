package io.livcloud.plugin.strongswan;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.provider.VmSegment;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The tunnels this plugin has set up, one properties file each under {@code <work>/tunnels}, written before anything
 * is loaded into charon: a process that dies half-way leaves a record from which {@code find} and {@code tearDown}
 * know what to clean. No secret is in them (the pre-shared key is in the host's secret store).
 */
final class TunnelRecords {

    /** Tunnel ids become charon connection names and secret names: keep them plain. */
    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");

    private final Path folder;

    TunnelRecords(Path folder) {
        this.folder = folder;
    }

    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ExtensionException(StrongSwanErrorCode.INVALID_TUNNEL_SPEC, "'" + id + "' cannot be a tunnel id:"
                    + " it becomes charon's connection name, so it is 1 to 48 lower case letters, digits and dashes,"
                    + " starting with a letter or digit", "use the two site names, e.g. a-b");
        }
        return id;
    }

    void write(TunnelSpec spec, DataPath dataPath) {
        Properties properties = new Properties();
        properties.setProperty("id", spec.id());
        properties.setProperty("authentication", spec.authentication().name());
        properties.setProperty("data-path", dataPath.name());
        put(properties, "local.", spec.local());
        put(properties, "remote.", spec.remote());
        spec.options().forEach((key, value) -> properties.setProperty("option." + key, value));
        try {
            Files.createDirectories(folder);
            Path temporary = folder.resolve(spec.id() + ".properties.tmp");
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(out, "LivCloud strongswan tunnel " + spec.id() + "; no secrets in here");
            }
            Files.move(temporary, file(spec.id()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw unreadable("cannot write the record of tunnel " + spec.id(), e);
        }
    }

    private static void put(Properties properties, String prefix, TunnelEndpoint end) {
        properties.setProperty(prefix + "site", end.siteName());
        properties.setProperty(prefix + "gateway", end.gatewayAddress());
        properties.setProperty(prefix + "subnet", end.subnet());
        properties.setProperty(prefix + "inside", end.insideAddress());
        properties.setProperty(prefix + "gateway-name", end.gatewayName());
        end.control().ifPresent(control -> {
            properties.setProperty(prefix + "control.socket", control.controlSocket());
            properties.setProperty(prefix + "control.local-address", control.localAddress());
            properties.setProperty(prefix + "control.identity", control.identity());
            properties.setProperty(prefix + "control.updown", control.updown());
        });
        end.segment().ifPresent(segment -> {
            properties.setProperty(prefix + "segment.name", segment.name());
            properties.setProperty(prefix + "segment.bridge", segment.bridge());
            properties.setProperty(prefix + "segment.mtu", Integer.toString(segment.mtu()));
            properties.setProperty(prefix + "segment.subnet", segment.subnet());
            properties.setProperty(prefix + "segment.router", segment.router());
        });
        end.attributes().forEach((key, value) -> properties.setProperty(prefix + "attribute." + key, value));
    }

    /** A recorded tunnel. */
    record Recorded(TunnelSpec spec, DataPath dataPath) {
    }

    Optional<Recorded> read(String id) {
        Path file = file(id);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
            Map<String, String> options = new LinkedHashMap<>();
            properties.stringPropertyNames().stream().filter(key -> key.startsWith("option.")).sorted()
                    .forEach(key -> options.put(key.substring("option.".length()), properties.getProperty(key)));
            TunnelSpec spec = new TunnelSpec(required(properties, "id", file), endpoint(properties, "local.", file),
                    endpoint(properties, "remote.", file),
                    TunnelAuthentication.valueOf(required(properties, "authentication", file)), options);
            return Optional.of(new Recorded(spec, DataPath.valueOf(required(properties, "data-path", file))));
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable("the record of tunnel " + id + " (" + file + ") is unreadable: " + e.getMessage(), e);
        }
    }

    private static TunnelEndpoint endpoint(Properties properties, String prefix, Path file) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String attributePrefix = prefix + "attribute.";
        properties.stringPropertyNames().stream().filter(key -> key.startsWith(attributePrefix)).sorted()
                .forEach(key -> attributes.put(key.substring(attributePrefix.length()), properties.getProperty(key)));
        Optional<TunnelControl> control = properties.containsKey(prefix + "control.socket")
                ? Optional.of(new TunnelControl(properties.getProperty(prefix + "control.socket"),
                        properties.getProperty(prefix + "control.local-address", ""),
                        properties.getProperty(prefix + "control.identity", ""),
                        properties.getProperty(prefix + "control.updown", "")))
                : Optional.empty();
        Optional<VmSegment> segment = properties.containsKey(prefix + "segment.name")
                ? Optional.of(new VmSegment(properties.getProperty(prefix + "segment.name"),
                        properties.getProperty(prefix + "segment.bridge", ""),
                        Integer.parseInt(properties.getProperty(prefix + "segment.mtu", "1350")),
                        properties.getProperty(prefix + "segment.subnet", ""),
                        properties.getProperty(prefix + "segment.router", "")))
                : Optional.empty();
        String site = required(properties, prefix + "site", file);
        return new TunnelEndpoint(site, properties.getProperty(prefix + "gateway-name", site),
                required(properties, prefix + "gateway", file), required(properties, prefix + "subnet", file),
                properties.getProperty(prefix + "inside", ""), control, segment, attributes);
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException(file + " has no " + key);
        }
        return value;
    }

    List<Recorded> all() {
        List<Recorded> recorded = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return recorded;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.properties")) {
            List<String> ids = new ArrayList<>();
            files.forEach(file -> ids.add(file.getFileName().toString().replaceFirst("\\.properties$", "")));
            ids.stream().sorted().forEach(id -> read(id).ifPresent(recorded::add));
        } catch (IOException e) {
            throw unreadable("cannot list " + folder, e);
        }
        return recorded;
    }

    void delete(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw unreadable("cannot delete the record of tunnel " + id, e);
        }
    }

    private Path file(String id) {
        return folder.resolve(checkId(id) + ".properties");
    }

    private ExtensionException unreadable(String message, Exception cause) {
        return new ExtensionException(StrongSwanErrorCode.STATE_UNREADABLE, message + " (" + cause.getMessage() + ")",
                "check the permissions of " + folder + "; a corrupt record can be deleted once the tunnel is down");
    }
}
