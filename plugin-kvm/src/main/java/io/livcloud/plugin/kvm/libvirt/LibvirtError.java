package io.livcloud.plugin.kvm.libvirt;

/**
 * An error libvirt reported ({@code virError}), or a failure to reach libvirt at all.
 *
 * @see <a href="https://libvirt.org/html/libvirt-virterror.html">virErrorNumber</a>
 */
public final class LibvirtError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** {@code VIR_ERR_INTERNAL_ERROR}; also used when the error came without a code. */
    public static final int INTERNAL_ERROR = 1;
    /** {@code VIR_ERR_NO_SUPPORT}: the driver does not implement the call. */
    public static final int NO_SUPPORT = 3;
    /** {@code VIR_ERR_NO_CONNECT}: no connection driver for the URI. */
    public static final int NO_CONNECT = 5;
    /** {@code VIR_ERR_SYSTEM_ERROR}: a system call failed, e.g. connecting a socket. */
    public static final int SYSTEM_ERROR = 38;
    /** {@code VIR_ERR_NO_DOMAIN}: no domain of that name. */
    public static final int NO_DOMAIN = 42;
    /** {@code VIR_ERR_OPERATION_INVALID}: not valid in the domain's state, e.g. no job to abort. */
    public static final int OPERATION_INVALID = 55;
    /** {@code VIR_ERR_OPERATION_ABORTED}: the job was aborted, e.g. by {@code virDomainAbortJob}. */
    public static final int OPERATION_ABORTED = 78;
    /** {@code VIR_ERR_OPERATION_UNSUPPORTED}. */
    public static final int OPERATION_UNSUPPORTED = 84;

    private final int code;

    /**
     * @param code libvirt's {@code virErrorNumber}
     * @param message libvirt's message, as users know it from virsh
     */
    public LibvirtError(int code, String message) {
        this(code, message, null);
    }

    public LibvirtError(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** libvirt's {@code virErrorNumber}. */
    public int code() {
        return code;
    }
}
