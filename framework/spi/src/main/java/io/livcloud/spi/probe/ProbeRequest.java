package io.livcloud.spi.probe;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link RegisterProbe#probe} is asked to do.
 *
 * @param functionalTest whether to boot a tiny guest to see that acceleration really works; the verdict then rests on
 *     it
 * @param functionalTestTimeout how long the tiny guest may take to reach user space
 */
public record ProbeRequest(boolean functionalTest, Duration functionalTestTimeout) {

    public ProbeRequest {
        Objects.requireNonNull(functionalTestTimeout, "functionalTestTimeout is null");
    }
}
