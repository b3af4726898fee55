package io.livcloud.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.ExtensionException;
import org.junit.jupiter.api.Test;

class Ec2ErrorsTest {

    private static ExtensionException translate(String action, String code, String message) {
        return Ec2Errors.translate(new Ec2ApiException(action, code, message, "req-1", null), "site 'east', launching");
    }

    @Test
    void eachKindOfFailureSaysWhatToDo() {
        ExtensionException unauthorized = translate("RunInstances", "UnauthorizedOperation",
                "You are not authorized to perform this operation. Encoded authorization failure message: abc");
        assertThat(unauthorized.errorCode()).isEqualTo(Ec2ErrorCode.NOT_AUTHORIZED);
        assertThat(unauthorized.getMessage()).isEqualTo("site 'east', launching: EC2 RunInstances answered"
                + " UnauthorizedOperation: You are not authorized to perform this operation. Encoded authorization"
                + " failure message: abc (request req-1)");
        assertThat(unauthorized.remedy()).contains("ec2:RunInstances", "decode-authorization-message");

        ExtensionException capacity = translate("RunInstances", "InsufficientInstanceCapacity", "no capacity");
        assertThat(capacity.errorCode()).isEqualTo(Ec2ErrorCode.CAPACITY);
        assertThat(capacity.remedy()).contains("availability-zone", "reused");

        ExtensionException vcpus = translate("RunInstances", "VcpuLimitExceeded", "vCPU limit");
        assertThat(vcpus.errorCode()).isEqualTo(Ec2ErrorCode.QUOTA);
        assertThat(vcpus.remedy()).contains("Service Quotas", "vCPU");

        ExtensionException addresses = translate("AllocateAddress", "AddressLimitExceeded", "too many");
        assertThat(addresses.errorCode()).isEqualTo(Ec2ErrorCode.QUOTA);
        assertThat(addresses.remedy()).doesNotContain("vCPU").contains("delete unused");

        ExtensionException throttled = translate("DescribeInstances", "RequestLimitExceeded", "Request limit exceeded.");
        assertThat(throttled.errorCode()).isEqualTo(Ec2ErrorCode.THROTTLED);
        assertThat(throttled.remedy()).contains("wait a minute", "max-attempts");

        ExtensionException expired = translate("DescribeInstances", "AuthFailure", "expired");
        assertThat(expired.errorCode()).isEqualTo(Ec2ErrorCode.CREDENTIALS);

        ExtensionException other = translate("CreateVpc", "InvalidParameterValue", "bad CIDR");
        assertThat(other.errorCode()).isEqualTo(Ec2ErrorCode.REQUEST_FAILED);
        assertThat(other.getMessage()).contains("InvalidParameterValue: bad CIDR");
    }

    @Test
    void clientSideFailuresTellCredentialsFromNetwork() {
        ExtensionException noCredentials = Ec2Errors.translate(new Ec2ApiException("DescribeInstances",
                Ec2ApiException.CLIENT_ERROR, "Unable to load credentials from any of the providers", "", null), "x");
        assertThat(noCredentials.errorCode()).isEqualTo(Ec2ErrorCode.CREDENTIALS);
        assertThat(noCredentials.getMessage()).doesNotContain("request ");

        ExtensionException network = Ec2Errors.translate(new Ec2ApiException("DescribeInstances",
                Ec2ApiException.CLIENT_ERROR, "Unable to execute HTTP request: Connection refused", "", null), "x");
        assertThat(network.errorCode()).isEqualTo(Ec2ErrorCode.UNREACHABLE);
        assertThat(network.remedy()).contains("endpoint-override");
    }
}
