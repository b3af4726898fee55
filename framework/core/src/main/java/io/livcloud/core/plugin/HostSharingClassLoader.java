package io.livcloud.core.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;

/**
 * The parent of every plugin class loader: the JDK (through the platform loader) plus an allow-list of host packages
 * (the SPI, PF4J, SLF4J) and nothing else. Plugins therefore cannot see, and cannot be broken by, the host's Guice,
 * Typesafe Config, Jackson or picocli, and may bring their own versions of any of them.
 */
final class HostSharingClassLoader extends ClassLoader {

    static final List<String> SHARED_PACKAGES = List.of("io.livcloud.spi.", "org.pf4j.", "org.slf4j.");

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;

    HostSharingClassLoader(ClassLoader host) {
        super("livcloud-host-sharing", ClassLoader.getPlatformClassLoader());
        this.host = Objects.requireNonNull(host, "host is null");
    }

    /** The shared packages as people write them: {@code io.livcloud.spi, org.pf4j, org.slf4j}. */
    static String sharedPackagesForPeople() {
        return String.join(", ", SHARED_PACKAGES.stream().map(prefix -> prefix.substring(0, prefix.length() - 1)).toList());
    }

    static boolean isShared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }

    private static boolean isSharedResource(String resourceName) {
        String asClassName = resourceName.replace('/', '.');
        return isShared(asClassName);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (isShared(name)) {
            return host.loadClass(name);
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        return isSharedResource(name) ? host.getResource(name) : null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        return isSharedResource(name) ? host.getResources(name) : Collections.emptyEnumeration();
    }
}
