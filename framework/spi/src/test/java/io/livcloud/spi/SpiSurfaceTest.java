package io.livcloud.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the promise that the SPI uses JDK types only: every public signature may name java.*, the SPI's own types
 * and, as a supertype, PF4J's method-less marker ExtensionPoint.
 */
class SpiSurfaceTest {

    @Test
    void publicSignaturesNameOnlyJdkAndSpiTypes() throws Exception {
        List<String> violations = new ArrayList<>();
        for (Class<?> type : spiClasses()) {
            for (Type supertype : supertypes(type)) {
                if (!supertype.getTypeName().equals("org.pf4j.ExtensionPoint")) {
                    check(type.getName() + " extends", supertype, violations);
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (!Modifier.isPublic(method.getModifiers()) || method.isSynthetic()) {
                    continue;
                }
                String where = type.getName() + "." + method.getName();
                check(where, method.getGenericReturnType(), violations);
                for (Type parameter : method.getGenericParameterTypes()) {
                    check(where, parameter, violations);
                }
                for (Type exception : method.getGenericExceptionTypes()) {
                    check(where, exception, violations);
                }
            }
            if (type.isRecord()) {
                for (RecordComponent component : type.getRecordComponents()) {
                    check(type.getName() + "." + component.getName(), component.getGenericType(), violations);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void everyExtensionKindHasItsFactoryInterface() {
        for (ExtensionKind kind : ExtensionKind.values()) {
            assertThat(ExtensionFactory.class).isAssignableFrom(kind.factoryType());
            assertThat(ExtensionKind.fromConfigName(kind.configName())).contains(kind);
        }
    }

    private static List<Type> supertypes(Class<?> type) {
        List<Type> result = new ArrayList<>(List.of(type.getGenericInterfaces()));
        if (type.getGenericSuperclass() != null) {
            result.add(type.getGenericSuperclass());
        }
        return result;
    }

    private static void check(String where, Type type, List<String> violations) {
        if (type instanceof Class<?> raw) {
            Class<?> element = raw;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            String name = element.getName();
            if (!element.isPrimitive() && !name.startsWith("java.") && !name.startsWith("io.livcloud.spi.")) {
                violations.add(where + " uses " + name);
            }
        } else if (type instanceof ParameterizedType parameterized) {
            check(where, parameterized.getRawType(), violations);
            for (Type argument : parameterized.getActualTypeArguments()) {
                check(where, argument, violations);
            }
        } else if (type instanceof WildcardType wildcard) {
            Stream.concat(Stream.of(wildcard.getUpperBounds()), Stream.of(wildcard.getLowerBounds()))
                    .forEach(bound -> check(where, bound, violations));
        } else if (type instanceof TypeVariable<?> variable) {
            for (Type bound : variable.getBounds()) {
                check(where, bound, violations);
            }
        }
    }

    private static List<Class<?>> spiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(ExtensionFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (name.endsWith("package-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, SpiSurfaceTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    classes.add(type);
                }
            }
        }
        assertThat(classes).hasSizeGreaterThan(40);
        return classes;
    }
}
