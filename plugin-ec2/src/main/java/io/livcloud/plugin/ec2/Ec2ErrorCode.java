package io.livcloud.plugin.ec2;

import io.livcloud.spi.ErrorCode;

/** The failures the ec2 plugin reports; {@link #code()} is what users and scripts see. */
public enum Ec2ErrorCode implements ErrorCode {
    /** A setting of livcloud.extensions.provider.ec2 has a value the plugin cannot use. */
    INVALID_SETTING,
    /** A site's settings (subnets, addresses, instance type) cannot make a site. */
    INVALID_SITE_SPEC,
    /** The instance type cannot run a hypervisor with hardware acceleration. */
    NOT_NESTED_CAPABLE,
    /** The region has no such instance type. */
    UNKNOWN_INSTANCE_TYPE,
    /** No Debian 12 image was found, and none was configured. */
    NO_IMAGE,
    /** AWS refused the credentials (missing, expired, wrong). */
    CREDENTIALS,
    /** The credentials are valid but lack a permission (UnauthorizedOperation). */
    NOT_AUTHORIZED,
    /** AWS has no capacity for the instance type in the zone now (InsufficientInstanceCapacity). */
    CAPACITY,
    /** An account quota is reached (VcpuLimitExceeded, AddressLimitExceeded, VpcLimitExceeded...). */
    QUOTA,
    /** AWS kept throttling the requests after the SDK's retries (RequestLimitExceeded). */
    THROTTLED,
    /** EC2 could not be reached (network, endpoint, region). */
    UNREACHABLE,
    /** EC2 refused a request for another reason; the message has AWS's code and text. */
    REQUEST_FAILED,
    /** An instance did not reach the expected state in time, or stopped on its own. */
    INSTANCE_FAILED;

    @Override
    public String code() {
        return "EC2_" + name();
    }
}
