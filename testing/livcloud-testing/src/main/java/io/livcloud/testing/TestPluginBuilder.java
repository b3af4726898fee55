package io.livcloud.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin archives in a test's temporary folder: Java sources compiled with the JDK's compiler and PF4J's
 * annotation processor (so {@code META-INF/extensions.idx} is PF4J's own), packed as {@code lib/<id>.jar} next to a
 * {@code plugin.properties}, as a folder or a zip. Sources compile against the test class path, so a plugin may
 * reference host classes it will not see at run time, which is what isolation tests need.
 */
public final class TestPluginBuilder {

    private final String id;
    private final Map<String, String> descriptor = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private final List<Path> bundledJars = new ArrayList<>();
    private boolean writeDescriptor = true;

    private TestPluginBuilder(String id) {
        this.id = id;
        descriptor.put("plugin.id", id);
        descriptor.put("plugin.version", "1.0.0");
        descriptor.put("plugin.description", "test plugin " + id);
        descriptor.put("plugin.requires", ">=0.1.0 & <0.2.0");
    }

    /** A plugin with this id, version 1.0.0, requiring LivCloud 0.1.x. */
    public static TestPluginBuilder plugin(String id) {
        return new TestPluginBuilder(id);
    }

    /** Sets (or, with a null value, removes) a descriptor property. */
    public TestPluginBuilder descriptor(String key, String value) {
        if (value == null) {
            descriptor.remove(key);
        } else {
            descriptor.put(key, value);
        }
        return this;
    }

    /** Leaves {@code plugin.properties} out. */
    public TestPluginBuilder withoutDescriptor() {
        writeDescriptor = false;
        return this;
    }

    /** Adds a Java source; {@code className} is fully qualified. */
    public TestPluginBuilder source(String className, String javaSource) {
        sources.put(className, javaSource);
        return this;
    }

    /** Adds a resource to the plugin's jar, e.g. {@code reference.conf}. */
    public TestPluginBuilder resource(String path, String content) {
        resources.put(path, content);
        return this;
    }

    /** Copies a jar into the plugin's {@code lib/}. */
    public TestPluginBuilder bundle(Path jar) {
        bundledJars.add(jar);
        return this;
    }

    /** Writes the plugin as the folder {@code root/<id>} and returns it. */
    public Path buildFolder(Path root) throws IOException {
        Path folder = Files.createDirectories(root.resolve(id));
        if (writeDescriptor) {
            StringBuilder properties = new StringBuilder();
            descriptor.forEach((key, value) -> properties.append(key).append('=').append(value).append('\n'));
            Files.writeString(folder.resolve("plugin.properties"), properties);
        }
        Path lib = Files.createDirectories(folder.resolve("lib"));
        writeJar(lib.resolve(id + ".jar"), compile());
        for (Path jar : bundledJars) {
            Files.copy(jar, lib.resolve(jar.getFileName()));
        }
        return folder;
    }

    /** Writes the plugin as the zip {@code root/<id>.zip} and returns it. */
    public Path buildZip(Path root) throws IOException {
        Path staging = Files.createTempDirectory("plugin-staging-");
        Path folder = buildFolder(staging);
        Path zip = root.resolve(id + ".zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(folder.relativize(file).toString()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return zip;
    }

    private Path compile() throws IOException {
        Path sourceRoot = Files.createTempDirectory("plugin-src-");
        Path classes = Files.createTempDirectory("plugin-classes-");
        List<String> arguments = new ArrayList<>(List.of(
                "-d", classes.toString(),
                "-classpath", System.getProperty("java.class.path"),
                "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor",
                "--release", "17"));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = sourceRoot.resolve(source.getKey().replace('.', File.separatorChar) + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            arguments.add(file.toString());
        }
        for (Map.Entry<String, String> resource : resources.entrySet()) {
            Path file = classes.resolve(resource.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, resource.getValue());
        }
        if (sources.isEmpty()) {
            return classes;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StringWriter output = new StringWriter();
        boolean compiled = compiler.getTask(output, null, null, arguments.subList(0, 8),
                null, compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjectsFromStrings(arguments.subList(8, arguments.size()))).call();
        if (!compiled) {
            throw new IllegalStateException("test plugin " + id + " does not compile:\n" + output);
        }
        return classes;
    }

    private static void writeJar(Path jar, Path classes) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classes)) {
            for (Path entry : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(entry).toString().replace(File.separatorChar, '/')));
                Files.copy(entry, out);
                out.closeEntry();
            }
        }
    }
}
