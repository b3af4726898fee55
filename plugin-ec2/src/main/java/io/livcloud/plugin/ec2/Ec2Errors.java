package io.livcloud.plugin.ec2;

import io.livcloud.spi.ExtensionException;
import java.util.Set;

/** Turns EC2's error answers into messages that say what failed and what the user can do. */
final class Ec2Errors {

    private static final Set<String> CREDENTIALS = Set.of("AuthFailure", "InvalidClientTokenId",
            "SignatureDoesNotMatch", "ExpiredToken", "RequestExpired", "MissingAuthenticationToken");
    private static final Set<String> NOT_AUTHORIZED = Set.of("UnauthorizedOperation", "OptInRequired", "Blocked");
    private static final Set<String> CAPACITY = Set.of("InsufficientInstanceCapacity", "InsufficientCapacity",
            "InsufficientHostCapacity", "InsufficientReservedInstanceCapacity");
    private static final Set<String> QUOTA = Set.of("VcpuLimitExceeded", "InstanceLimitExceeded",
            "AddressLimitExceeded", "VpcLimitExceeded", "InternetGatewayLimitExceeded", "RouteTableLimitExceeded",
            "SecurityGroupLimitExceeded", "RulesPerSecurityGroupLimitExceeded", "SubnetLimitExceeded");
    private static final Set<String> THROTTLED = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException");

    private Ec2Errors() {
    }

    /**
     * The user's view of an EC2 error.
     *
     * @param doing what LivCloud was doing, e.g. "launching the gateway of site east in eu-west-1"
     */
    static ExtensionException translate(Ec2ApiException e, String doing) {
        String code = e.providerCode();
        String fact = doing + ": EC2 " + e.operation() + " answered " + code + ": " + e.providerMessage()
                + (e.requestId().isEmpty() ? "" : " (request " + e.requestId() + ")");
        if (CREDENTIALS.contains(code)) {
            return new ExtensionException(Ec2ErrorCode.CREDENTIALS, fact, "check the AWS credentials: the profile"
                    + " setting of livcloud.extensions.provider.ec2, AWS_PROFILE or AWS_ACCESS_KEY_ID; refresh expired"
                    + " session credentials (aws sso login)", e);
        }
        if (NOT_AUTHORIZED.contains(code)) {
            return new ExtensionException(Ec2ErrorCode.NOT_AUTHORIZED, fact, "grant the identity ec2:" + e.operation()
                    + " in an IAM policy (README lists every action LivCloud uses), or use a profile that has it;"
                    + " aws sts decode-authorization-message shows the policy decision when the message is encoded", e);
        }
        if (CAPACITY.contains(code)) {
            return new ExtensionException(Ec2ErrorCode.CAPACITY, fact, "try another availability zone (site setting"
                    + " availability-zone) or another nested-capable type (c8i, m8i, r8i, *.metal), or retry later;"
                    + " what was created so far stays tagged and is reused on the next attempt", e);
        }
        if (QUOTA.contains(code)) {
            String remedy = code.equals("VcpuLimitExceeded") || code.equals("InstanceLimitExceeded")
                    ? "request a higher 'Running On-Demand Standard instances' vCPU quota in Service Quotas, or use a"
                            + " smaller instance type"
                    : "delete unused resources of that kind in the region or request a higher quota in Service Quotas";
            return new ExtensionException(Ec2ErrorCode.QUOTA, fact, remedy, e);
        }
        if (THROTTLED.contains(code)) {
            return new ExtensionException(Ec2ErrorCode.THROTTLED, fact, "EC2 kept throttling this account's"
                    + " requests although they were retried with backoff; wait a minute and run the command again"
                    + " (it reuses what exists), or raise max-attempts", e);
        }
        if (Ec2ApiException.CLIENT_ERROR.equals(code)) {
            String message = e.providerMessage();
            if (message.contains("credentials")) {
                return new ExtensionException(Ec2ErrorCode.CREDENTIALS, doing + ": no AWS credentials: " + message,
                        "configure credentials for the SDK's default chain (aws configure, AWS_PROFILE, an instance"
                                + " role) or set profile in livcloud.extensions.provider.ec2", e);
            }
            return new ExtensionException(Ec2ErrorCode.UNREACHABLE, doing + ": EC2 could not be reached: " + message,
                    "check the network, the region and endpoint-override in livcloud.extensions.provider.ec2", e);
        }
        return new ExtensionException(Ec2ErrorCode.REQUEST_FAILED, fact, "read AWS's message above; the request"
                + " can be retried once its cause is fixed (what exists is reused)", e);
    }
}
