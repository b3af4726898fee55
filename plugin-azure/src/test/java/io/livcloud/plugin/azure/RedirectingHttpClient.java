package io.livcloud.plugin.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The JDK HTTP client the plugin uses, sending every request to a local stub instead of the host it names. The SDK
 * keeps talking to https://management.azure.com (its bearer-token policy refuses plain-HTTP endpoints); only here,
 * below every policy, does the request go to {@code http://127.0.0.1:<port>} with its path and query unchanged.
 */
final class RedirectingHttpClient implements HttpClient {

    private final HttpClient client = new JdkHttpClientBuilder().build();
    private final int port;

    RedirectingHttpClient(int port) {
        this.port = port;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return client.send(redirected(request)).map(response -> new AsSent(request, response));
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return client.send(redirected(request), context).map(response -> new AsSent(request, response));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        return new AsSent(request, client.sendSync(redirected(request), context));
    }

    /**
     * The stub's response, carrying the request as the SDK made it: the SDK resolves long-running operations against
     * the response's request URL, which must stay Azure's HTTPS one.
     */
    private static final class AsSent extends HttpResponse {
        private final HttpResponse response;

        AsSent(HttpRequest request, HttpResponse response) {
            super(request);
            this.response = response;
        }

        @Override
        public int getStatusCode() {
            return response.getStatusCode();
        }

        @Override
        @Deprecated // abstract in azure-core, so it must be passed on like the rest
        public String getHeaderValue(String name) {
            return response.getHeaderValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return response.getHeaders();
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return response.getBody();
        }

        @Override
        public BinaryData getBodyAsBinaryData() {
            return response.getBodyAsBinaryData();
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return response.getBodyAsByteArray();
        }

        @Override
        public Mono<String> getBodyAsString() {
            return response.getBodyAsString();
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return response.getBodyAsString(charset);
        }

        @Override
        public void close() {
            response.close();
        }
    }

    private HttpRequest redirected(HttpRequest request) {
        URL url = request.getUrl();
        if (!url.getHost().equals("management.azure.com")) {
            throw new IllegalStateException("the test stubs only Azure Resource Manager, not " + url);
        }
        try {
            HttpRequest copy = request.copy();
            copy.setUrl(new URL("http", "127.0.0.1", port, url.getFile()));
            return copy;
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
