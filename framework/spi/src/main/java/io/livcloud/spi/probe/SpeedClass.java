package io.livcloud.spi.probe;

/** The speed a guest can expect, roughly, relative to the host. */
public enum SpeedClass {
    /** Within a few percent of the host. */
    NEAR_NATIVE,
    /** Paravirtualized: slower on page-table-heavy work. */
    PARAVIRTUAL,
    /** Emulated: tens of times slower. */
    EMULATED,
    /** Guests cannot run. */
    NONE
}
