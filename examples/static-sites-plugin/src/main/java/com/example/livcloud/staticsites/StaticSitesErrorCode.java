package com.example.livcloud.staticsites;

import io.livcloud.spi.ErrorCode;

/**
 * The failures this plugin reports. Every plugin has its own enum like this one, so users and scripts can tell failures
 * apart by code instead of by message.
 */
public enum StaticSitesErrorCode implements ErrorCode {
    /** A site declared under {@code livcloud.extensions.provider.static.sites} is incomplete or malformed. */
    INVALID_SITE;

    @Override
    public String code() {
        return "STATIC_SITES_" + name();
    }
}
