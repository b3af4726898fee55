package io.livcloud.labtools;

import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.cli.OutputOption;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.TeardownReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livcloud lab}: the sites of the {@code lab} provider (this machine turned into two or more sites), as
 * configured under {@code livcloud.sites} with {@code provider = lab}. A shorthand for the generic site operations.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Bring the lab sites on this machine up, show them, take them down (needs root).",
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class})
final class LabCommand {

    static final String PROVIDER = "lab";

    @ParentCommand
    LivCloudCli cli;

    static List<String> labSites(LivCloud livCloud) {
        List<String> names = livCloud.siteNames(PROVIDER);
        if (names.isEmpty()) {
            throw new LivCloudException("no site in livcloud.sites uses provider = lab",
                    "declare the lab sites, e.g. livcloud.sites { a { provider = lab }, b { provider = lab } }");
        }
        return names;
    }

    /** {@code livcloud lab up}. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Create the lab sites (network namespaces, one libvirtd each), installing missing Debian "
                    + "packages first; idempotent.")
    static final class Up implements Callable<Integer> {

        @ParentCommand
        LabCommand lab;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (LivCloud livCloud = lab.cli.open(false)) {
                PrintWriter out = spec.commandLine().getOut();
                for (String name : labSites(livCloud)) {
                    Site site = livCloud.provisionSite(name);
                    out.printf("site %s: up, gateway %s, libvirt %s%n", site.name(),
                            site.gateway().publicAddress(), site.gateway().hypervisorUri());
                    out.flush();
                }
                return ExitCodes.OK;
            }
        }
    }

    /** {@code livcloud lab down}. */
    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Take the lab sites down: stop the processes the lab started, remove its namespaces; "
                    + "idempotent, safe after a crash. Exit code 1 if anything is left behind.")
    static final class Down implements Callable<Integer> {

        @ParentCommand
        LabCommand lab;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (LivCloud livCloud = lab.cli.open(false)) {
                PrintWriter out = spec.commandLine().getOut();
                boolean complete = true;
                for (String name : labSites(livCloud)) {
                    TeardownReport report = livCloud.tearDownSite(name, false);
                    out.printf("site %s: %s%n", name, report.removed().isEmpty() ? "nothing to remove"
                            : "removed " + String.join(", ", report.removed()));
                    report.leftovers().forEach(leftover ->
                            out.printf("  left behind: %s (%s)%n", leftover.resource(), leftover.reason()));
                    complete &= report.leftovers().isEmpty();
                    out.flush();
                }
                return complete ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }
    }

    /** {@code livcloud lab status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each lab site: addresses, the libvirt URI (usable with virsh -c) and the VMs running there.")
    static final class Status implements Callable<Integer> {

        @ParentCommand
        LabCommand lab;

        @Spec
        CommandSpec spec;

        @Mixin

        OutputOption output;

        @Override
        public Integer call() {
            try (LivCloud livCloud = lab.cli.open(false)) {
                List<Map<String, Object>> sites = new ArrayList<>();
                for (String name : labSites(livCloud)) {
                    sites.add(SiteDocuments.site(name, livCloud.describeSite(name), livCloud));
                }
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    out.println(Json.write(Map.of("sites", sites)));
                } else {
                    sites.forEach(site -> SiteDocuments.print(out, site));
                }
                out.flush();
                return ExitCodes.OK;
            }
        }
    }

    /** A site as {@code lab status} shows it, with what runs on its hypervisor hosts. */
    static final class SiteDocuments {

        private SiteDocuments() {
        }

        static Map<String, Object> site(String name, Optional<Site> found, LivCloud livCloud) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("name", name);
            document.put("provider", livCloud.siteProvider(name));
            if (found.isEmpty()) {
                document.put("state", "absent");
                return document;
            }
            Site site = found.get();
            document.put("state", "present");
            document.put("gatewayAddress", site.gateway().publicAddress());
            document.put("vmSubnet", site.vmSubnet());
            List<Map<String, Object>> hosts = new ArrayList<>();
            for (Host host : site.hypervisorHosts()) {
                Map<String, Object> hostDocument = new LinkedHashMap<>();
                hostDocument.put("name", host.name());
                hostDocument.put("publicAddress", host.publicAddress());
                hostDocument.put("libvirtUri", host.hypervisorUri());
                hostDocument.put("attributes", host.attributes());
                hostDocument.putAll(vms(livCloud, host));
                hosts.add(hostDocument);
            }
            document.put("hosts", hosts);
            document.put("attributes", site.attributes());
            return document;
        }

        /** The VMs on a host through the configured hypervisor extension, or why they cannot be listed. */
        private static Map<String, Object> vms(LivCloud livCloud, Host host) {
            String hypervisorName = livCloud.selectedExtensions().get(ExtensionKind.HYPERVISOR);
            if (hypervisorName == null) {
                return Map.of("vmsError", "no hypervisor selected (livcloud.migration.hypervisor)");
            }
            try (Hypervisor hypervisor = livCloud.hypervisor(hypervisorName);
                    HypervisorConnection connection = hypervisor.connect(host.hypervisorUri())) {
                List<Map<String, Object>> vms = new ArrayList<>();
                for (VmInfo vm : connection.listVms()) {
                    Map<String, Object> vmDocument = new LinkedHashMap<>();
                    vmDocument.put("name", vm.name());
                    vmDocument.put("state", vm.state().name());
                    vmDocument.put("architecture", vm.architecture().canonicalName());
                    vmDocument.put("cpuModel", vm.cpuModel());
                    vmDocument.put("memoryBytes", vm.memoryBytes());
                    vms.add(vmDocument);
                }
                return Map.of("vms", vms);
            } catch (RuntimeException e) {
                return Map.of("vmsError", String.valueOf(e.getMessage()));
            }
        }

        @SuppressWarnings("unchecked")
        static void print(PrintWriter out, Map<String, Object> site) {
            out.printf("site %s (%s): %s%n", site.get("name"), site.get("provider"), site.get("state"));
            if (!"present".equals(site.get("state"))) {
                return;
            }
            out.printf("  gateway %s, VM subnet %s%n", site.get("gatewayAddress"), site.get("vmSubnet"));
            for (Map<String, Object> host : (List<Map<String, Object>>) site.get("hosts")) {
                out.printf("  host %s: virsh -c '%s'%n", host.get("name"), host.get("libvirtUri"));
                if (host.containsKey("vmsError")) {
                    out.printf("    VMs: unknown (%s)%n", host.get("vmsError"));
                    continue;
                }
                List<Map<String, Object>> vms = (List<Map<String, Object>>) host.get("vms");
                if (vms.isEmpty()) {
                    out.println("    no VMs");
                }
                for (Map<String, Object> vm : vms) {
                    out.printf("    %s  %s  %s  %s  %d MiB%n", vm.get("name"), vm.get("state"), vm.get("architecture"),
                            vm.get("cpuModel"), ((Number) vm.get("memoryBytes")).longValue() >> 20);
                }
            }
        }
    }
}
