package io.livcloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this LivCloud build and of the SPI plugins are checked against. */
public final class LivCloudVersion {

    private static final Properties PROPERTIES = load();

    private LivCloudVersion() {
    }

    /** The build's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return PROPERTIES.getProperty("version");
    }

    /** The SPI version plugins' {@code plugin.requires} ranges are checked against, e.g. {@code 0.1.0}. */
    public static String spiVersion() {
        return PROPERTIES.getProperty("spi-version");
    }

    private static Properties load() {
        try (InputStream in = LivCloudVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the LivCloud core jar");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
