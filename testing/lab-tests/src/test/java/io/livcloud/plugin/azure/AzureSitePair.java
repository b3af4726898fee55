package io.livcloud.plugin.azure;

import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import java.util.List;
import java.util.Map;

/**
 * Two Azure sites, east and west, each told the other's public IP, exactly as {@link AzureSiteProvisioner} builds
 * them over the plugin's hand-written Azure ({@link FakeAzureFacade}): what the engine and the tunnel driver get after
 * two {@code site create}s. For the tests across plugins; no network.
 */
public final class AzureSitePair {

    /** The hosts' NIC addresses, behind the public IPs' NAT. */
    public static final String EAST_NIC_ADDRESS = "10.250.0.4";
    public static final String WEST_NIC_ADDRESS = "10.250.0.5";
    public static final String EAST_PUBLIC_IP = "192.0.2.10";
    public static final String WEST_PUBLIC_IP = "192.0.2.20";

    private AzureSitePair() {
    }

    /** East (westeurope, VM subnet 10.99.20.0/24) and west (northeurope, 10.99.30.0/24), in that order. */
    public static List<Site> eastAndWest() {
        return List.of(site("east", "westeurope", "10.99.20.0/24", EAST_NIC_ADDRESS, EAST_PUBLIC_IP, WEST_PUBLIC_IP),
                site("west", "northeurope", "10.99.30.0/24", WEST_NIC_ADDRESS, WEST_PUBLIC_IP, EAST_PUBLIC_IP));
    }

    private static Site site(String name, String location, String vmSubnet, String nicAddress, String publicIp,
            String peer) {
        FakeAzureFacade azure = new FakeAzureFacade().withAddresses(nicAddress, publicIp);
        AzureSiteProvisioner provisioner = new AzureSiteProvisioner(BaseAzureSiteTest.config(Map.of()), azure,
                () -> BaseAzureSiteTest.KEY);
        return provisioner.provision(new SiteSpec(name, location, "", vmSubnet, peer, "198.51.100.0/24", Map.of()));
    }
}
