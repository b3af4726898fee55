package io.livcloud.plugin.strongswan.vici;

import java.util.List;

/**
 * What {@code stats} answers, as far as LivCloud uses it.
 *
 * @param runningSince when charon started, as charon writes it
 * @param ikeSas IKE_SAs in total
 * @param halfOpenIkeSas IKE_SAs still negotiating
 * @param plugins the plugins charon loaded, which tell the data path ({@code kernel-libipsec} or not)
 */
public record CharonStats(String runningSince, long ikeSas, long halfOpenIkeSas, List<String> plugins) {

    public CharonStats {
        plugins = List.copyOf(plugins);
    }
}
