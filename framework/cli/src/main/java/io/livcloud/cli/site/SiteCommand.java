package io.livcloud.cli.site;

import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.cli.OutputOption;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livcloud site}: sites of any provider (ec2, azure, lab, a third party's), through the provider SPI only. A
 * site declared in {@code livcloud.sites.<name>} brings its provider and settings, which command-line values
 * override; any other site needs {@code --provider}.
 */
@Command(name = "site", mixinStandardHelpOptions = true,
        description = "Create, list and destroy sites through their provider (ec2, azure, lab, ...).",
        subcommands = {SiteCommand.Create.class, SiteCommand.ListSites.class, SiteCommand.Destroy.class})
public final class SiteCommand {

    /** Site keys with a field of their own in a SiteSpec, as the core names them. */
    static final String LOCATION = "location";
    static final String INSTANCE_TYPE = "instance-type";
    static final String VM_SUBNET = "vm-subnet";
    static final String PEER_GATEWAY_ADDRESS = "peer-gateway-address";
    static final String OPERATOR_CIDR = "operator-cidr";

    @ParentCommand
    LivCloudCli cli;

    /** {@code NAME [--provider P]}: a site, and its provider when configuration does not name it. */
    static final class SiteTarget {

        @Parameters(index = "0", paramLabel = "NAME", description = "The site's name; its resources are tagged with it.")
        String name;

        @Option(names = "--provider", paramLabel = "PROVIDER",
                description = "The provider, e.g. ec2, azure or lab; default: the configured site's.")
        String provider;

        /** The site's configured provider, else {@code --provider}; both only when they agree. */
        String provider(LivCloud livCloud) {
            if (livCloud.siteNames().contains(name)) {
                String configured = livCloud.siteProvider(name);
                if (provider != null && !provider.equals(configured)) {
                    throw new LivCloudException("site '" + name + "' is configured with provider '" + configured
                            + "', not '" + provider + "'", "leave --provider out, or use another site name");
                }
                return configured;
            }
            if (provider == null) {
                throw new LivCloudException("site '" + name + "' is not in livcloud.sites, so its provider is unknown",
                        "add --provider, e.g. --provider ec2, or declare the site in livcloud.sites." + name);
            }
            return provider;
        }
    }

    /** {@code livcloud site create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Create a site (network, firewall rules, host) through its provider, or complete it: "
                    + "what exists is reused.",
                    "Values given here override the site's section in livcloud.sites, if it has one."})
    public static final class Create implements Callable<Integer> {

        @ParentCommand
        SiteCommand site;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Mixin
        SiteTarget target;

        @Option(names = {"--location", "--region"}, paramLabel = "LOCATION",
                description = "Region or location, e.g. eu-west-1; default: the provider's.")
        String location;

        @Option(names = {"--instance-type", "--vm-size"}, paramLabel = "TYPE",
                description = "The host's instance type or VM size, e.g. c8i.large; default: the provider's.")
        String instanceType;

        @Option(names = "--vm-subnet", paramLabel = "CIDR", description = "The private subnet of the site's VMs.")
        String vmSubnet;

        @Option(names = "--peer-gateway", paramLabel = "ADDRESS",
                description = "The other site's gateway address: the only source the tunnel ports open to.")
        String peerGateway;

        @Option(names = "--operator-cidr", paramLabel = "CIDR",
                description = "Who may reach the hosts over SSH, e.g. 198.51.100.7/32.")
        String operatorCidr;

        @Option(names = "--option", paramLabel = "KEY=VALUE",
                description = "Another site setting of the provider (repeatable), e.g. --option availability-zone=eu-west-1b.")
        Map<String, String> options = new LinkedHashMap<>();

        @Override
        public Integer call() {
            try (LivCloud livCloud = site.cli.open(false)) {
                String providerName = target.provider(livCloud);
                String name = target.name;
                Map<String, String> merged = livCloud.siteNames().contains(name)
                        ? new LinkedHashMap<>(livCloud.siteSpec(name).options()) : new LinkedHashMap<>();
                putGiven(merged, LOCATION, location);
                putGiven(merged, INSTANCE_TYPE, instanceType);
                putGiven(merged, VM_SUBNET, vmSubnet);
                putGiven(merged, PEER_GATEWAY_ADDRESS, peerGateway);
                putGiven(merged, OPERATOR_CIDR, operatorCidr);
                merged.putAll(options);
                SiteSpec siteSpec = new SiteSpec(name, merged.getOrDefault(LOCATION, ""),
                        merged.getOrDefault(INSTANCE_TYPE, ""), merged.getOrDefault(VM_SUBNET, ""),
                        merged.getOrDefault(PEER_GATEWAY_ADDRESS, ""), merged.getOrDefault(OPERATOR_CIDR, ""), merged);
                Map<String, Object> document = document(livCloud.provisionSite(providerName, siteSpec),
                        livCloud.siteNames().contains(name));
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    out.println(Json.write(document));
                } else {
                    print(out, document);
                }
                out.flush();
                return ExitCodes.OK;
            }
        }

        private static void putGiven(Map<String, String> options, String key, String value) {
            if (value != null) {
                options.put(key, value);
            }
        }
    }

    /** {@code livcloud site list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"The configured sites (livcloud.sites) as their providers see them.",
                    "With --provider, also the sites that provider created and configuration does not name."})
    public static final class ListSites implements Callable<Integer> {

        @ParentCommand
        SiteCommand site;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Option(names = "--provider", paramLabel = "PROVIDER", description = "Also list this provider's own sites.")
        String provider;

        @Override
        public Integer call() {
            try (LivCloud livCloud = site.cli.open(false)) {
                Map<String, Map<String, Object>> sites = new LinkedHashMap<>();
                for (String name : livCloud.siteNames()) {
                    sites.put(name, configured(livCloud, name));
                }
                if (provider != null) {
                    for (Site found : livCloud.providerSites(provider)) {
                        sites.putIfAbsent(found.name(), document(found, false));
                    }
                }
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    out.println(Json.write(Map.of("sites", new ArrayList<>(sites.values()))));
                } else if (sites.isEmpty()) {
                    out.println("no sites: none in livcloud.sites" + (provider == null ? "" : ", none of provider "
                            + provider));
                } else {
                    sites.values().forEach(document -> print(out, document));
                }
                out.flush();
                return ExitCodes.OK;
            }
        }

        /** A configured site as its provider sees it; a provider that fails is shown, not fatal to the list. */
        private static Map<String, Object> configured(LivCloud livCloud, String name) {
            try {
                Optional<Site> found = livCloud.describeSite(name);
                if (found.isPresent()) {
                    return document(found.get(), true);
                }
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("name", name);
                document.put("provider", livCloud.siteProvider(name));
                document.put("state", "absent");
                document.put("configured", true);
                return document;
            } catch (RuntimeException e) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("name", name);
                document.put("provider", livCloud.siteProvider(name));
                document.put("state", "unknown");
                document.put("configured", true);
                document.put("error", String.valueOf(e.getMessage()));
                return document;
            }
        }
    }

    /** {@code livcloud site destroy}. */
    @Command(name = "destroy", mixinStandardHelpOptions = true,
            description = {"Remove every resource of the site, in dependency order; idempotent.",
                    "Exit code 1 if anything is left behind (each listed with the reason)."})
    public static final class Destroy implements Callable<Integer> {

        @ParentCommand
        SiteCommand site;

        @Spec
        CommandSpec spec;

        @Mixin
        OutputOption output;

        @Mixin
        SiteTarget target;

        @Option(names = "--dry-run", description = "Only say what would be removed (the cloud's own dry run where it"
                + " has one: permissions are checked, nothing is deleted).")
        boolean dryRun;

        @Override
        public Integer call() {
            try (LivCloud livCloud = site.cli.open(false)) {
                String providerName = target.provider(livCloud);
                String name = target.name;
                // A configured site may end tunnels, which go down first (a tunnel left up keeps retrying a gone
                // peer); a site that is not configured can be in no tunnel.
                TeardownReport report = livCloud.siteNames().contains(name) ? livCloud.tearDownSite(name, dryRun)
                        : livCloud.tearDownSite(providerName, name, dryRun);
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    Map<String, Object> document = new LinkedHashMap<>();
                    document.put("site", name);
                    document.put("provider", providerName);
                    document.put("dryRun", report.dryRun());
                    document.put(report.dryRun() ? "wouldRemove" : "removed", report.removed());
                    List<Map<String, String>> leftovers = new ArrayList<>();
                    report.leftovers().forEach(leftover -> leftovers.add(Map.of("resource", leftover.resource(),
                            "reason", leftover.reason())));
                    document.put("leftovers", leftovers);
                    out.println(Json.write(document));
                } else {
                    if (report.removed().isEmpty()) {
                        // With leftovers there was something, it just could not go.
                        out.printf("site %s (%s): %s%n", name, providerName, report.leftovers().isEmpty()
                                ? "nothing to remove" : report.dryRun() ? "nothing would be removed"
                                : "nothing removed");
                    } else {
                        out.printf("site %s (%s): %s%n", name, providerName, report.dryRun() ? "would remove"
                                : "removed");
                        report.removed().forEach(resource -> out.println("  " + resource));
                    }
                    report.leftovers().forEach(leftover ->
                            out.printf("  left behind: %s (%s)%n", leftover.resource(), leftover.reason()));
                }
                out.flush();
                return report.leftovers().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }
    }

    /** A site for {@code -o json} and the text output: plain maps, so the format is what this code shows. */
    static Map<String, Object> document(Site site, boolean configured) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", site.name());
        document.put("provider", site.provider());
        document.put("state", "present");
        document.put("configured", configured);
        document.put("location", site.location());
        document.put("vmSubnet", site.vmSubnet());
        document.put("gatewayAddress", site.gateway().publicAddress());
        List<Map<String, Object>> hosts = new ArrayList<>();
        for (Host host : site.hypervisorHosts()) {
            Map<String, Object> hostDocument = new LinkedHashMap<>();
            hostDocument.put("name", host.name());
            hostDocument.put("roles", host.roles().stream().map(Enum::name).sorted().toList());
            hostDocument.put("publicAddress", host.publicAddress());
            hostDocument.put("privateAddress", host.privateAddress());
            hostDocument.put("hypervisorUri", host.hypervisorUri());
            hostDocument.put("attributes", new java.util.TreeMap<>(host.attributes()));
            hosts.add(hostDocument);
        }
        document.put("hosts", hosts);
        document.put("attributes", new java.util.TreeMap<>(site.attributes()));
        return document;
    }

    @SuppressWarnings("unchecked")
    static void print(PrintWriter out, Map<String, Object> site) {
        out.printf("site %s (%s): %s%s%n", site.get("name"), site.get("provider"), site.get("state"),
                Boolean.TRUE.equals(site.get("configured")) ? "" : ", not in livcloud.sites");
        if (site.containsKey("error")) {
            out.println("  " + site.get("error"));
        }
        if (!"present".equals(site.get("state"))) {
            return;
        }
        String location = (String) site.get("location");
        out.printf("  gateway %s, VM subnet %s%s%n", site.get("gatewayAddress"), site.get("vmSubnet"),
                location.isEmpty() ? "" : ", in " + location);
        for (Map<String, Object> host : (List<Map<String, Object>>) site.get("hosts")) {
            out.printf("  host %s %s: %s%n", host.get("name"), host.get("roles"), host.get("hypervisorUri"));
        }
        ((Map<String, String>) site.get("attributes")).forEach((key, value) -> out.printf("  %s: %s%n", key, value));
    }
}
