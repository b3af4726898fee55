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

    /**
     * A {@code settings()} body for {@link #hypervisorFactory(String, String, String, String)}: a {@code uri} string
     * (required or optional) and a secret {@code password}.
     */
    public static String uriAndPasswordSettings(boolean uriRequired) {
        return """
                    @Override
                    public List<Setting> settings() {
                        return List.of(Setting.%s("uri", SettingType.STRING, "Where the hypervisor listens"),
                                Setting.secret("password", "Password for the hypervisor"));
                    }
                """.formatted(uriRequired ? "required" : "optional");
    }

    /** A hypervisor factory with no extra body. */
    public static String hypervisorFactory(String packageName, String className, String name) {
        return hypervisorFactory(packageName, className, name, "");
    }

    /**
     * A provider factory named {@code name} whose sites declare {@code location}, {@code vm-subnet}, {@code zones}
     * (a list) and a secret {@code password}; {@code provision} answers with a site whose attributes are the options it
     * was given, so a test can see exactly what reached the provider.
     */
    public static String recordingProviderFactory(String packageName, String className, String name) {
        return """
                package %s;

                import io.livcloud.spi.*;
                import io.livcloud.spi.provider.*;
                import java.util.*;

                @org.pf4j.Extension
                public class %s implements CloudProviderFactory {
                    @Override
                    public String name() {
                        return "%s";
                    }

                    @Override
                    public List<Setting> siteSettings() {
                        return List.of(Setting.optional("location", SettingType.STRING, "Region"),
                                Setting.optional("vm-subnet", SettingType.STRING, "VM subnet"),
                                Setting.optional("zones", SettingType.STRING_LIST, "Zones"),
                                Setting.secret("password", "Password"));
                    }

                    @Override
                    public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
                        return new CloudProvider() {
                            @Override
                            public List<Site> listSites() {
                                return List.of();
                            }

                            @Override
                            public boolean canProvision() {
                                return true;
                            }

                            @Override
                            public Site provision(SiteSpec spec) {
                                Map<String, String> seen = new TreeMap<>(spec.options());
                                seen.put("spec.location", spec.location());
                                seen.put("spec.vm-subnet", spec.vmSubnet());
                                Host host = new Host("host-" + spec.name(), Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR),
                                        "", "", "test:///default", Map.of());
                                return new Site(spec.name(), "%s", spec.location(), host, List.of(host), spec.vmSubnet(),
                                        seen);
                            }

                            @Override
                            public TeardownReport tearDown(String siteName, boolean dryRun) {
                                return new TeardownReport(siteName, dryRun, List.of("all of " + siteName), List.of());
                            }

                            @Override
                            public InstanceTypeCapability instanceTypeCapability(String instanceType) {
                                throw new UnsupportedOperationException();
                            }

                            @Override
                            public void close() {
                            }
                        };
                    }
                }
                """.formatted(packageName, className, name, name);
    }

    /** A register probe named {@code name} that reports a PVM host with one piece of evidence and one remedy. */
    public static String pvmRegisterProbeFactory(String packageName, String className, String name) {
        return """
                package %s;

                import io.livcloud.spi.*;
                import io.livcloud.spi.hypervisor.Accelerator;
                import io.livcloud.spi.probe.*;
                import java.util.*;

                @org.pf4j.Extension
                public class %s implements RegisterProbeFactory {
                    @Override
                    public String name() {
                        return "%s";
                    }

                    @Override
                    public RegisterProbe create(ExtensionConfig config, ExtensionContext context) {
                        return new RegisterProbe() {
                            @Override
                            public ProbeReport probe(ProbeRequest request) {
                                return new ProbeReport(Verdict.PVM, Optional.of(Accelerator.TCG), SpeedClass.EMULATED,
                                        "KVM guest", List.of(new Evidence("cpu flag vmx", "absent", "/proc/cpuinfo",
                                                "functional test " + request.functionalTest())),
                                        List.of(new Remedy("boot a PVM guest kernel", "PVM instead of SOFTWARE")));
                            }

                            @Override
                            public void close() {
                            }
                        };
                    }
                }
                """.formatted(packageName, className, name);
    }
}
