package com.cloudextender.devcloud.http;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Base of the API's handlers: the subclass handles the request and may throw {@link ApiException},
 * which becomes a JSON error answer; any other failure is logged and answered with 500, and the
 * exchange is always closed.
 */
public abstract class JsonHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonHandler.class);

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        try {
            serve(exchange);
        } catch (ApiException e) {
            Exchanges.sendError(exchange, e.status(), e.getMessage());
        } catch (IOException e) {
            LOG.debug("HTTP {} {} from {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRemoteAddress(), e.toString());
        } catch (RuntimeException e) {
            LOG.error("HTTP {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
            try {
                Exchanges.sendError(exchange, 500, "internal error: " + e.getClass().getSimpleName());
            } catch (IOException | RuntimeException ignored) {
                // the answer may already have started; the client sees the connection close
            }
        } finally {
            exchange.close();
        }
    }

    /** Handles one request; the exchange is closed afterwards. */
    protected abstract void serve(HttpExchange exchange) throws IOException, ApiException;
}
