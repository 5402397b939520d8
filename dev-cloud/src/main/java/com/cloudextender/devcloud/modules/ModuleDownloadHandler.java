package com.cloudextender.devcloud.modules;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;

import com.cloudextender.devcloud.http.ApiException;
import com.cloudextender.devcloud.http.JsonHandler;
import com.sun.net.httpserver.HttpExchange;

/**
 * Serves published packages at {@code GET /modules/<file>}, without the console token: extenders
 * download what the cloud told them to install, and check its SHA-256 and signature themselves. Only a
 * file name that is in the repository index, exactly, is served; anything else (other files of the
 * folder, {@code ../}, encoded slashes) is 404, because the name is looked up, never resolved as a path.
 * {@code HEAD} gives the size and SHA-256 without the body.
 */
public final class ModuleDownloadHandler extends JsonHandler {
    /** Where the handler is mounted. */
    public static final String PATH = "/modules/";

    private final ModuleRepository repository;

    public ModuleDownloadHandler(ModuleRepository repository) {
        this.repository = repository;
    }

    @Override
    protected void serve(HttpExchange exchange) throws IOException, ApiException {
        String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            throw ApiException.methodNotAllowed(method, PATH + "…");
        }
        String rawPath = exchange.getRequestURI().getRawPath();
        String name = rawPath.startsWith(PATH) ? rawPath.substring(PATH.length()) : "";
        ModuleEntry entry = repository.byFile(name)
                .orElseThrow(() -> ApiException.notFound("no published package is named '" + name + "'"));
        exchange.getResponseHeaders().set("Content-Type", "application/zip");
        exchange.getResponseHeaders().set("X-Content-SHA256", entry.sha256());
        if ("HEAD".equals(method)) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(entry.size()));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, entry.size());
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(repository.path(entry), out);
        }
    }
}
