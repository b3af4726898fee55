package io.livcloud.plugin.ec2;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.ec2.Ec2Facade.Kind;
import io.livcloud.plugin.ec2.Ec2Facade.Resource;
import io.livcloud.spi.Event;
import io.livcloud.spi.EventSink;
import io.livcloud.spi.ExtensionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One region's EC2 as both jobs on a site use it, provisioning ({@link Ec2SiteProvisioner}) and teardown
 * ({@link Ec2SiteTeardown}): the client, the region's name, where their events go, and waiting for an instance to
 * reach a state. One client per region, shared by the two jobs.
 */
final class Ec2Region {

    /** The instance states from which an instance never runs again. */
    static final Set<String> GONE = Set.of("terminated", "shutting-down");
    private static final Duration INSTANCE_WAIT = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofSeconds(5);

    /** Sleeps between polls; tests pass one that only advances their clock. */
    interface Pause {
        void sleep(Duration duration);
    }

    private final Ec2Facade ec2;
    private final String name;
    private final EventSink events;
    private final Clock clock;
    private final Pause pause;

    Ec2Region(Ec2Facade ec2, String name, EventSink events, Clock clock, Pause pause) {
        this.ec2 = requireNonNull(ec2, "ec2 is null");
        this.name = requireNonNull(name, "name is null");
        this.events = requireNonNull(events, "events is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.pause = requireNonNull(pause, "pause is null");
    }

    Ec2Facade ec2() {
        return ec2;
    }

    /** The region's name, e.g. {@code eu-west-1}. */
    String name() {
        return name;
    }

    /**
     * Polls the instance until it is in {@code state}; an instance EC2 no longer lists counts as terminated.
     *
     * @throws ExtensionException {@link Ec2ErrorCode#INSTANCE_FAILED} when it will not get there (stopped, or gone
     *         while waiting for running) or is not there after {@link #INSTANCE_WAIT}
     * @throws Ec2ApiException when EC2 cannot be asked
     */
    Resource awaitInstance(String instanceId, String state) {
        Instant deadline = clock.instant().plus(INSTANCE_WAIT);
        while (true) {
            Optional<Resource> instance = ec2.byId(Kind.INSTANCE, instanceId);
            String now = instance.map(found -> found.attribute("state")).orElse("terminated");
            if (now.equals(state)) {
                return instance.orElseGet(() -> new Resource(Kind.INSTANCE, instanceId, Map.of(), Map.of("state", now)));
            }
            if (state.equals("running") && (now.equals("stopped") || now.equals("stopping"))) {
                throw new ExtensionException(Ec2ErrorCode.INSTANCE_FAILED, "instance " + instanceId + " of the site is "
                        + now, "start it (aws ec2 start-instances --instance-ids " + instanceId + ") and run the"
                        + " command again, or tear the site down");
            }
            if (state.equals("running") && GONE.contains(now)) {
                throw new ExtensionException(Ec2ErrorCode.INSTANCE_FAILED, "instance " + instanceId + " is " + now
                        + " instead of running", "see the instance's state reason in the EC2 console; run the command"
                        + " again to launch a new one");
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new ExtensionException(Ec2ErrorCode.INSTANCE_FAILED, "instance " + instanceId + " is still "
                        + now + " after " + INSTANCE_WAIT.toMinutes() + " minutes, expected " + state,
                        "look at the instance in the EC2 console; run the command again later");
            }
            pause.sleep(POLL);
        }
    }

    /** An event about a site's resource: {@code site.resource.created}, {@code .reused}, {@code .removed}, etc. */
    void emit(String type, String site, String what) {
        events.emit(new Event(clock.instant(), "provider/" + Ec2SiteProvisioner.PROVIDER, type, "site " + site + ": "
                + (type.endsWith("created") ? "created " : type.endsWith("removed") ? "removed "
                : type.endsWith("reused") ? "reusing " : "") + what, Map.of("site", site, "region", name)));
    }
}
