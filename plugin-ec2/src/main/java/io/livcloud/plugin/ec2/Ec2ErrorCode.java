package io.livcloud.plugin.ec2;

import io.livcloud.spi.ErrorCode;

/** The failures the ec2 plugin reports; {@link #code()} is what users and scripts see. */
public enum Ec2ErrorCode implements ErrorCode {
    /** The extension exists so its configuration can be validated, but does nothing yet. */
    NOT_IMPLEMENTED;

    @Override
    public String code() {
        return "EC2_" + name();
    }
}
