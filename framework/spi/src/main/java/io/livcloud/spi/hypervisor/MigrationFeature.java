package io.livcloud.spi.hypervisor;

/** Live-migration techniques a {@link MigrationPolicy} may turn on. */
public enum MigrationFeature {
    /** Several parallel streams. */
    MULTIFD,
    /** Compress pages on the wire (with multifd: zstd or zlib). */
    COMPRESSION,
    /** Send only the changed bytes of pages sent before. */
    XBZRLE,
    /** Throttle the guest's vCPUs when pre-copy does not converge. */
    AUTO_CONVERGE,
    /**
     * Allow switching to post-copy: the guest runs on the destination while memory is still fetched from the source.
     * Risk: if the link fails during post-copy, the VM is lost on both sides.
     */
    POST_COPY,
    /**
     * The hypervisor's own TLS on the migration stream (with {@link #MULTIFD}, on every channel): the stream goes
     * encrypted straight to the request's data URI, whose host must hold a certificate for that address. Hosts that
     * can do it say so with {@link io.livcloud.spi.provider.MigrationEndpoints#tls()}; a hypervisor whose host has no TLS
     * material refuses the migration rather than send it in the clear.
     */
    TLS
}
