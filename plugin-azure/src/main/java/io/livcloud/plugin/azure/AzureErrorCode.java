package io.livcloud.plugin.azure;

import io.livcloud.spi.ErrorCode;

/** The failures the azure plugin reports; {@link #code()} is what users and scripts see. */
public enum AzureErrorCode implements ErrorCode {
    /** A setting of livcloud.extensions.provider.azure has a value the plugin cannot use, or lacks one it needs. */
    INVALID_SETTING,
    /** A site cannot be provisioned as asked: its name, location, addresses or VM size. */
    INVALID_SITE_SPEC,
    /** The VM size is not one the plugin knows to run nested virtualization. */
    SIZE_NOT_NESTED_CAPABLE,
    /** No credential of DefaultAzureCredential's chain worked, or Azure refused the token. */
    AUTHENTICATION_FAILED,
    /** The identity is signed in but lacks the role for the operation. */
    AUTHORIZATION_FAILED,
    /** The subscription does not exist, is disabled, or the identity cannot see it. */
    SUBSCRIPTION_NOT_FOUND,
    /** A quota (vCPUs per family or region, public IPs) does not allow the operation. */
    QUOTA_EXCEEDED,
    /** The VM size is not offered in the location, to the subscription, or has no capacity right now. */
    SIZE_NOT_AVAILABLE,
    /** Azure Resource Manager kept answering 429 Too Many Requests through every retry. */
    THROTTLED,
    /** A resource with the site's name exists but was not created by LivCloud for this site. */
    RESOURCE_CONFLICT,
    /** Any other refusal by Azure; the message carries Azure's own code and text. */
    REQUEST_FAILED;

    @Override
    public String code() {
        return "AZURE_" + name();
    }
}
