package io.livcloud.testing;

/** Java sources of small extension factories for {@link TestPluginBuilder}. */
public final class TestSources {

    private TestSources() {
    }

    /**
     * A hypervisor factory named {@code name} in class {@code packageName.className}; {@code body} is spliced into
     * the class (extra methods or overrides).
     */
    public static String hypervisorFactory(String packageName, String className, String name, String body) {
        return """
                package %s;

                import io.livcloud.spi.ExtensionConfig;
                import io.livcloud.spi.ExtensionContext;
                import io.livcloud.spi.Setting;
                import io.livcloud.spi.SettingType;
                import io.livcloud.spi.Support;
                import io.livcloud.spi.hypervisor.Hypervisor;
                import io.livcloud.spi.hypervisor.HypervisorConnection;
                import io.livcloud.spi.hypervisor.HypervisorFactory;
                import java.util.List;

                @org.pf4j.Extension
                public class %s implements HypervisorFactory {
                    @Override
                    public String name() {
                        return "%s";
                    }

                    @Override
                    public Hypervisor create(ExtensionConfig config, ExtensionContext context) {
                        String uri = config.string("uri").orElse("none");
                        return new Hypervisor() {
                            @Override
                            public HypervisorConnection connect(String target) {
                                throw new UnsupportedOperationException("test hypervisor " + uri);
                            }

                            @Override
                            public void close() {
                            }

                            @Override
                            public String toString() {
                                return "test hypervisor at " + uri;
                            }
                        };
                    }
                %s
                }
                """.formatted(packageName, className, name, body);
    }

    /** A hypervisor factory with no extra body. */
    public static String hypervisorFactory(String packageName, String className, String name) {
        return hypervisorFactory(packageName, className, name, "");
    }
}
