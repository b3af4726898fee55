package io.livcloud.plugin.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/** A token credential that hands out one fixed token and remembers the scopes it was asked for. */
final class FakeTokenCredential implements TokenCredential {

    static final String TOKEN = "fake-arm-token";

    final List<List<String>> requestedScopes = new ArrayList<>();

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        requestedScopes.add(List.copyOf(request.getScopes()));
        return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    }
}
