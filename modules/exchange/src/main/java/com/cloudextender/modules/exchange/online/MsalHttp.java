package com.cloudextender.modules.exchange.online;

import com.cloudextender.modules.support.http.HttpAnswer;
import com.cloudextender.modules.support.http.ModuleHttp;
import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.HttpResponse;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * msal4j's HTTP over {@link ModuleHttp}, so that token requests take the extender's proxy decision and
 * the configured TLS trust like every other call of the module.
 */
final class MsalHttp implements IHttpClient {
    private final ModuleHttp http;

    MsalHttp(ModuleHttp http) {
        this.http = http;
    }

    @Override
    public IHttpResponse send(HttpRequest request) throws Exception {
        ClassicHttpRequest r;
        switch (request.httpMethod()) {
            case GET -> r = new HttpGet(request.url().toURI());
            case POST -> {
                HttpPost post = new HttpPost(request.url().toURI());
                String type = request.headerValue("Content-Type");
                post.setEntity(new StringEntity(request.body() == null ? "" : request.body(),
                        type == null ? ContentType.APPLICATION_FORM_URLENCODED : ContentType.parse(type)));
                r = post;
            }
            default -> throw new IllegalArgumentException("msal4j asked for HTTP " + request.httpMethod()
                    + ", which the token flow does not use");
        }
        if (request.headers() != null) {
            request.headers().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Content-Type") && !k.equalsIgnoreCase("Content-Length")) {
                    r.addHeader(k, v);
                }
            });
        }
        HttpAnswer a = http.send(r);
        HttpResponse out = new HttpResponse().statusCode(a.status()).body(new String(a.body(), StandardCharsets.UTF_8));
        out.addHeaders(a.headers());
        return out;
    }
}
