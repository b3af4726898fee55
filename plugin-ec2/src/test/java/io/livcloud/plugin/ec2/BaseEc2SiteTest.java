package io.livcloud.plugin.ec2;

import io.livcloud.plugin.toolkit.cloud.BootstrapStatus;
import io.livcloud.spi.Event;
import io.livcloud.spi.provider.SiteSpec;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One region of a hand-written EC2 in memory ({@link FakeEc2Facade}), with a provisioner and a teardown over it, for
 * the tests of both jobs: a teardown test provisions its site first, as a user would.
 */
abstract class BaseEc2SiteTest {

    static final KeyPair KEY = rsaKey();
    static final Map<String, String> EAST = Ec2SiteProvisioner.siteTags("east");

    final FakeEc2Facade ec2 = new FakeEc2Facade("eu-west-1");
    /** The public addresses whose bootstrap the provisioner waited for. */
    final List<String> readinessAsked = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    final MutableClock clock = new MutableClock();
    Ec2Config config = Ec2ConfigTest.defaults();

    Ec2SiteProvisioner provisioner() {
        HostReadiness readiness = (publicAddress, timeout) -> {
            readinessAsked.add(publicAddress);
            return BootstrapStatus.parse("state=ready\ndetail=running\nqemu=10.0.2\nkvm=hardware\n");
        };
        return new Ec2SiteProvisioner(region(), config, () -> KEY, readiness);
    }

    Ec2SiteTeardown teardown() {
        return new Ec2SiteTeardown(region());
    }

    private Ec2Region region() {
        return new Ec2Region(ec2, "eu-west-1", events::add, clock, clock::advance);
    }

    static SiteSpec spec(String instanceType, String peer) {
        return new SiteSpec("east", "", instanceType, "10.99.20.0/24", peer, "198.51.100.7/32", Map.of());
    }

    private static KeyPair rsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
