package io.livcloud.cli.probe;

import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.cli.OutputOption;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.probe.Evidence;
import io.livcloud.spi.probe.ProbeReport;
import io.livcloud.spi.probe.ProbeRequest;
import io.livcloud.spi.probe.RegisterProbe;
import io.livcloud.spi.probe.Remedy;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.Site;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livcloud probe}: can this host (or a site's hosts, or a cloud's instance type) run a hypervisor, how, and what
 * would enable more.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Whether a host can run a hypervisor (hardware VMX/SVM, PVM, software), on what evidence, and "
                + "what would enable more.",
                "Default: this host, with the register-probe extension (livcloud.migration.register-probe, else host)."})
public final class ProbeCommand implements Callable<Integer> {

    private static final String DEFAULT_PROBE = "host";

    @ParentCommand
    LivCloudCli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOption output;

    @ArgGroup(exclusive = true)
    Target target = new Target();

    @Option(names = "--probe", paramLabel = "NAME", description = "The register-probe extension to use.")
    String probeName;

    @Option(names = "--no-functional-test", negatable = true, defaultValue = "true",
            description = "Boot a tiny guest to see acceleration really work (default: on).")
    boolean functionalTest;

    @Option(names = "--timeout", defaultValue = "PT20S", paramLabel = "DURATION",
            description = "How long the tiny guest may take, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** What to probe: this host (no option), a site, or a cloud's instance type. */
    static final class Target {
        @Option(names = "--site", paramLabel = "SITE", description = "The hypervisor hosts of a site.")
        String site;

        @ArgGroup(exclusive = false)
        CloudInstanceType cloud;
    }

    /** {@code --cloud NAME --instance-type TYPE}. */
    static final class CloudInstanceType {
        @Option(names = "--cloud", required = true, paramLabel = "PROVIDER", description = "A provider, e.g. ec2 or azure.")
        String provider;

        @Option(names = {"--instance-type", "--vm-size"}, required = true, paramLabel = "TYPE",
                description = "The instance type (EC2) or VM size (Azure), e.g. c8i.large or Standard_D4s_v5.")
        String instanceType;
    }

    @Override
    public Integer call() {
        try (LivCloud livCloud = cli.open(false)) {
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Object> document;
            if (target.cloud != null) {
                document = cloud(livCloud, target.cloud);
            } else if (target.site != null) {
                document = site(livCloud, target.site);
            } else {
                document = thisHost(livCloud);
            }
            if (output.json()) {
                out.println(Json.write(document));
            } else {
                printText(out, document);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private Map<String, Object> thisHost(LivCloud livCloud) {
        try (RegisterProbe probe = livCloud.registerProbe(probeName(livCloud))) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("target", "this host");
            document.putAll(reportDocument(probe.probe(new ProbeRequest(functionalTest, timeout))));
            return document;
        }
    }

    private String probeName(LivCloud livCloud) {
        return Optional.ofNullable(probeName)
                .or(() -> Optional.ofNullable(livCloud.selectedExtensions().get(ExtensionKind.REGISTER_PROBE)))
                .orElse(DEFAULT_PROBE);
    }

    private static Map<String, Object> reportDocument(ProbeReport report) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("verdict", report.verdict().name());
        document.put("accelerator", report.accelerator().map(Accelerator::name).orElse(null));
        document.put("speedClass", report.speedClass().name());
        document.put("platform", report.platform());
        List<Map<String, String>> evidence = new ArrayList<>();
        for (Evidence item : report.evidence()) {
            evidence.add(Map.of("item", item.item(), "value", item.value(), "source", item.source(),
                    "note", item.note()));
        }
        document.put("evidence", evidence);
        List<Map<String, String>> remedies = new ArrayList<>();
        for (Remedy remedy : report.remedies()) {
            remedies.add(Map.of("action", remedy.action(), "effect", remedy.effect()));
        }
        document.put("remedies", remedies);
        return document;
    }

    private static Map<String, Object> cloud(LivCloud livCloud, CloudInstanceType cloud) {
        try (CloudProvider provider = livCloud.cloudProvider(cloud.provider)) {
            InstanceTypeCapability capability = provider.instanceTypeCapability(cloud.instanceType);
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("target", cloud.provider + " " + capability.instanceType());
            document.put("verdict", capability.hardwareVirtualization() ? "yes" : "no");
            document.put("nestedVirtualization", capability.nestedVirtualization().name());
            document.put("reasons", capability.reasons());
            document.put("requiredOptions", capability.requiredOptions());
            return document;
        }
    }

    /**
     * Each hypervisor host of a site: the full probe on that host through its host access (the same verdict and
     * evidence as {@code livcloud probe} run there), else what its hypervisor reports of itself.
     */
    private Map<String, Object> site(LivCloud livCloud, String siteName) {
        Site site = livCloud.describeSite(siteName).orElseThrow(() -> new LivCloudException("site '" + siteName
                + "' does not exist yet", "create it first, e.g. livcloud lab up"));
        List<Map<String, Object>> hosts = new ArrayList<>();
        try (RegisterProbe probe = livCloud.registerProbe(probeName(livCloud))) {
            for (Host host : site.hypervisorHosts()) {
                Optional<HostAccess> access = livCloud.hostAccess(siteName, host.name());
                Map<String, Object> hostDocument = new LinkedHashMap<>();
                hostDocument.put("host", host.name());
                if (access.isPresent()) {
                    hostDocument.put("reachedThrough", access.get().target());
                    hostDocument.putAll(reportDocument(probe.probe(new ProbeRequest(functionalTest, timeout),
                            access.get())));
                } else {
                    hostDocument.putAll(hypervisorFacts(livCloud, host));
                }
                hosts.add(hostDocument);
            }
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("target", "site " + siteName);
        document.put("hosts", hosts);
        return document;
    }

    /** What a host's hypervisor says of itself, for a host LivCloud cannot run the probe on. */
    private static Map<String, Object> hypervisorFacts(LivCloud livCloud, Host host) {
        String hypervisorName = Optional.ofNullable(livCloud.selectedExtensions().get(ExtensionKind.HYPERVISOR))
                .orElseThrow(() -> new LivCloudException("no hypervisor is selected",
                        "set livcloud.migration.hypervisor, e.g. to kvm"));
        try (Hypervisor hypervisor = livCloud.hypervisor(hypervisorName);
                HypervisorConnection connection = hypervisor.connect(host.hypervisorUri())) {
            HostInfo info = connection.host();
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("cpuModel", info.cpuModel());
            document.put("accelerators", new TreeSet<>(info.accelerators().stream().map(Enum::name).toList()));
            document.put("guestArchitectures", new TreeSet<>(info.guestArchitectures().stream()
                    .map(architecture -> architecture.canonicalName()).toList()));
            document.put("note", "as its hypervisor reports it: its provider gives no host access to run the probe"
                    + " there");
            return document;
        }
    }

    @SuppressWarnings("unchecked")
    private static void printText(PrintWriter out, Map<String, Object> document) {
        out.println("Target: " + document.get("target"));
        if (document.containsKey("hosts")) {
            for (Map<String, Object> host : (List<Map<String, Object>>) document.get("hosts")) {
                if (host.containsKey("verdict")) {
                    out.printf("Host %s (through %s)%n", host.get("host"), host.get("reachedThrough"));
                    printReport(out, host);
                } else {
                    out.printf("Host %s: accelerators %s, guests %s, CPU %s%n  (%s)%n", host.get("host"),
                            host.get("accelerators"), host.get("guestArchitectures"), host.get("cpuModel"),
                            host.get("note"));
                }
            }
            return;
        }
        if (document.containsKey("nestedVirtualization")) {
            out.printf("Verdict: %s (%s)%n", document.get("verdict"), document.get("nestedVirtualization"));
            ((List<String>) document.get("reasons")).forEach(reason -> out.println("  because " + reason));
            ((Map<String, String>) document.get("requiredOptions")).forEach((option, value) ->
                    out.printf("  needs %s = %s%n", option, value));
            return;
        }
        printReport(out, document);
    }

    @SuppressWarnings("unchecked")
    private static void printReport(PrintWriter out, Map<String, Object> document) {
        out.printf("Verdict: %s, accelerator %s, speed %s, platform %s%n", document.get("verdict"),
                Optional.ofNullable(document.get("accelerator")).orElse("none"), document.get("speedClass"),
                document.get("platform"));
        out.println("Evidence:");
        List<Map<String, String>> evidence = (List<Map<String, String>>) document.get("evidence");
        int itemWidth = evidence.stream().mapToInt(item -> item.get("item").length()).max().orElse(1);
        for (Map<String, String> item : evidence) {
            out.printf("  %-" + itemWidth + "s  %s  [%s]%s%n", item.get("item"), item.get("value"), item.get("source"),
                    item.get("note").isEmpty() ? "" : " " + item.get("note"));
        }
        List<Map<String, String>> remedies = (List<Map<String, String>>) document.get("remedies");
        if (!remedies.isEmpty()) {
            out.println("What would enable more:");
            remedies.forEach(remedy -> out.printf("  - %s: %s%n", remedy.get("action"), remedy.get("effect")));
        }
    }
}
