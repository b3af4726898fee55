package io.livcloud.plugin.ec2;

import io.livcloud.plugin.toolkit.cloud.BootstrapStatus;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import java.util.List;
import java.util.Map;

/**
 * Two EC2 sites, east and west, each told the other's Elastic IP, exactly as {@link Ec2SiteProvisioner} builds them
 * over the plugin's hand-written EC2 ({@link FakeEc2Facade}): what the engine and the tunnel driver get after two
 * {@code site create}s. For the tests across plugins; no network.
 */
public final class Ec2SitePair {

    /** The hosts' VPC addresses, behind the Elastic IPs' NAT. */
    public static final String EAST_VPC_ADDRESS = "10.98.0.10";
    public static final String WEST_VPC_ADDRESS = "10.98.0.20";
    public static final String EAST_ELASTIC_IP = "203.0.113.50";
    public static final String WEST_ELASTIC_IP = "203.0.113.60";

    private Ec2SitePair() {
    }

    /** East (VM subnet 10.99.20.0/24) and west (10.99.30.0/24), in that order. */
    public static List<Site> eastAndWest() {
        return List.of(site("east", "10.99.20.0/24", EAST_VPC_ADDRESS, EAST_ELASTIC_IP, WEST_ELASTIC_IP),
                site("west", "10.99.30.0/24", WEST_VPC_ADDRESS, WEST_ELASTIC_IP, EAST_ELASTIC_IP));
    }

    private static Site site(String name, String vmSubnet, String vpcAddress, String elasticIp, String peer) {
        FakeEc2Facade ec2 = new FakeEc2Facade("eu-west-1").withAddresses(vpcAddress, elasticIp);
        MutableClock clock = new MutableClock();
        Ec2SiteProvisioner provisioner = new Ec2SiteProvisioner(new Ec2Region(ec2, "eu-west-1", event -> { },
                clock, clock::advance), Ec2ConfigTest.defaults(), () -> BaseEc2SiteTest.KEY,
                (publicAddress, timeout) -> BootstrapStatus.parse("state=ready\ndetail=running\n"));
        return provisioner.provision(new SiteSpec(name, "", "c8i.large", vmSubnet, peer, "198.51.100.7/32",
                Map.of()));
    }
}
