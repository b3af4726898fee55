package io.livcloud.plugin.kvm;

import io.livcloud.spi.ErrorCode;

/** The failures the kvm plugin reports; {@link #code()} is what users and scripts see. */
public enum KvmErrorCode implements ErrorCode {
    /** The extension exists so its configuration can be validated, but does nothing yet. */
    NOT_IMPLEMENTED;

    @Override
    public String code() {
        return "KVM_" + name();
    }
}
