package io.livcloud.plugin.ec2;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.ec2.Ec2Facade.Kind;
import io.livcloud.plugin.ec2.Ec2Facade.Resource;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.TeardownReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Removes the sites of one region: exactly what carries both {@code livcloud:site=<site>} and
 * {@code livcloud:created-by=livcloud} (the tags {@link Ec2SiteProvisioner} gives everything it creates), in
 * dependency order, and lists what it could not remove. A subnet or VPC the user lent a site has neither tag and is
 * never touched.
 */
final class Ec2SiteTeardown {

    private final Ec2Region region;
    private final Ec2Facade ec2;

    Ec2SiteTeardown(Ec2Region region) {
        this.region = requireNonNull(region, "region is null");
        this.ec2 = region.ec2();
    }

    /**
     * Removes every resource tagged for the site, in dependency order: instances (and waits until they are gone),
     * Elastic IPs, key pairs, security groups, route tables, internet gateways, subnets, VPCs. A resource that cannot
     * be removed is reported and the rest are still tried. A dry run sends each deletion with EC2's DryRun, which
     * checks permissions without deleting.
     */
    TeardownReport tearDown(String site, boolean dryRun) {
        Map<String, String> tags = Ec2SiteProvisioner.siteTags(site);
        Teardown teardown = new Teardown(site, dryRun);
        List<Resource> instances = teardown.find(Kind.INSTANCE, tags).stream()
                .filter(instance -> !instance.attribute("state").equals("terminated")).toList();
        for (Resource instance : instances) {
            teardown.remove("instance " + instance.id(), () -> ec2.terminateInstance(instance.id(), dryRun));
        }
        if (!dryRun) {
            for (Resource instance : instances) {
                teardown.awaitTerminated(instance.id());
            }
        }
        for (Resource address : teardown.find(Kind.ELASTIC_IP, tags)) {
            String label = "elastic-ip " + address.id() + " (" + address.attribute("public-ip") + ")";
            teardown.remove(label, () -> {
                if (!address.attribute("association-id").isEmpty() && !dryRun) {
                    detachQuietly(() -> ec2.disassociateAddress(address.attribute("association-id"), false));
                }
                ec2.releaseAddress(address.id(), dryRun);
            });
        }
        for (Resource key : teardown.find(Kind.KEY_PAIR, tags)) {
            teardown.remove("key-pair " + key.id() + " (" + key.attribute("name") + ")",
                    () -> ec2.deleteKeyPair(key.id(), dryRun));
        }
        for (Resource group : teardown.find(Kind.SECURITY_GROUP, tags)) {
            teardown.remove("security-group " + group.id(), () -> ec2.deleteSecurityGroup(group.id(), dryRun));
        }
        for (Resource table : teardown.find(Kind.ROUTE_TABLE, tags)) {
            teardown.remove("route-table " + table.id(), () -> {
                for (String association : table.attribute("associations").split(",")) {
                    if (!association.isEmpty() && !dryRun) {
                        detachQuietly(() -> ec2.disassociateRouteTable(association, false));
                    }
                }
                ec2.deleteRouteTable(table.id(), dryRun);
            });
        }
        for (Resource gateway : teardown.find(Kind.INTERNET_GATEWAY, tags)) {
            teardown.remove("internet-gateway " + gateway.id(), () -> {
                if (!gateway.attribute("vpc-id").isEmpty() && !dryRun) {
                    detachQuietly(() -> ec2.detachInternetGateway(gateway.id(), gateway.attribute("vpc-id"), false));
                }
                ec2.deleteInternetGateway(gateway.id(), dryRun);
            });
        }
        for (Resource subnet : teardown.find(Kind.SUBNET, tags)) {
            teardown.remove("subnet " + subnet.id(), () -> ec2.deleteSubnet(subnet.id(), dryRun));
        }
        for (Resource vpc : teardown.find(Kind.VPC, tags)) {
            teardown.remove("vpc " + vpc.id(), () -> ec2.deleteVpc(vpc.id(), dryRun));
        }
        return new TeardownReport(site, dryRun, teardown.removed, teardown.leftovers);
    }

    /** Runs a detach step whose failure the following deletion reports better (e.g. an association already gone). */
    private static void detachQuietly(Runnable detach) {
        try {
            detach.run();
        } catch (Ec2ApiException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }

    /** What one teardown has done so far; every EC2 error becomes a leftover, never an exception. */
    private final class Teardown {
        private final String site;
        private final boolean dryRun;
        private final List<String> removed = new ArrayList<>();
        private final List<TeardownReport.Leftover> leftovers = new ArrayList<>();

        Teardown(String site, boolean dryRun) {
            this.site = site;
            this.dryRun = dryRun;
        }

        List<Resource> find(Kind kind, Map<String, String> tags) {
            try {
                return ec2.find(kind, tags);
            } catch (Ec2ApiException e) {
                ExtensionException problem = Ec2Errors.translate(e, "listing the site's " + kind.name().toLowerCase()
                        .replace('_', ' ') + "s");
                leftovers.add(new TeardownReport.Leftover("every " + kind.name().toLowerCase().replace('_', '-')
                        + " of site " + site, problem.getMessage() + "; " + problem.remedy()));
                return List.of();
            }
        }

        void remove(String label, Runnable deletion) {
            try {
                deletion.run();
                removed.add(label);
                if (!dryRun) {
                    region.emit("site.resource.removed", site, label);
                }
            } catch (Ec2ApiException e) {
                if (e.notFound()) {
                    return; // removed meanwhile, e.g. by a teardown running at the same time: the goal is met
                }
                ExtensionException problem = Ec2Errors.translate(e, (dryRun ? "checking the removal of " : "removing ")
                        + label);
                leftovers.add(new TeardownReport.Leftover(label, problem.getMessage() + "; " + problem.remedy()));
            }
        }

        void awaitTerminated(String instanceId) {
            try {
                region.awaitInstance(instanceId, "terminated");
            } catch (ExtensionException e) {
                leftovers.add(new TeardownReport.Leftover("instance " + instanceId, e.getMessage() + "; "
                        + e.remedy()));
            }
        }
    }
}
