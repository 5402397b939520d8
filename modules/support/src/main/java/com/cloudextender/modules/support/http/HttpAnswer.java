package com.cloudextender.modules.support.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP answer, read whole. For answers too large to hold, use {@link ModuleHttp#execute}.
 *
 * @param status  the HTTP status
 * @param reason  the reason phrase, possibly empty
 * @param headers the headers by lower-case name, in the order received
 * @param body    the body, empty when there was none
 */
public record HttpAnswer(int status, String reason, Map<String, List<String>> headers, byte[] body) {
    public HttpAnswer {
        reason = reason == null ? "" : reason;
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of header {@code name} (any case), if any. */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** The Content-Type header, or {@code null} when the server sent none. */
    public String contentType() {
        return header("content-type").orElse(null);
    }

    /** Whether the status is 2xx. */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The body as UTF-8 text. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
