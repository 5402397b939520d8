package com.cloudextender.modules.scep.transport;

import com.cloudextender.modules.support.http.HttpAnswer;
import com.cloudextender.modules.support.http.ModuleHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.jscep.transport.AbstractTransport;
import org.jscep.transport.Transport;
import org.jscep.transport.TransportException;
import org.jscep.transport.TransportFactory;
import org.jscep.transport.request.PkiOperationRequest;
import org.jscep.transport.request.Request;
import org.jscep.transport.response.ScepResponseHandler;

/**
 * jSCEP's transport over {@link ModuleHttp}, so that SCEP messages follow the extender's proxy decision and
 * the profile's TLS trust. GET carries the message in the query (RFC 8894, section 4.1); POST carries a
 * PKIOperation's DER body.
 */
public final class HttpClientTransportFactory implements TransportFactory {
    private final ModuleHttp http;

    /** Transports over {@code http}. */
    public HttpClientTransportFactory(ModuleHttp http) {
        this.http = http;
    }

    @Override
    public Transport forMethod(Method method, URL url) {
        return new HttpClientTransport(url, method, http);
    }

    private static final class HttpClientTransport extends AbstractTransport {
        private final Method method;
        private final ModuleHttp http;

        HttpClientTransport(URL url, Method method, ModuleHttp http) {
            super(url);
            this.method = method;
            this.http = http;
        }

        @Override
        public <T> T sendRequest(Request msg, ScepResponseHandler<T> handler) throws TransportException {
            URI uri;
            ClassicHttpRequest request;
            try {
                String base = getUrl(msg.getOperation()).toExternalForm();
                if (method == Method.POST && msg instanceof PkiOperationRequest) {
                    uri = new URI(base);
                    HttpPost post = new HttpPost(uri);
                    post.setEntity(new ByteArrayEntity(der(msg.getMessage()), ContentType.APPLICATION_OCTET_STREAM));
                    request = post;
                } else {
                    String message = msg instanceof PkiOperationRequest
                            ? Base64.getEncoder().encodeToString(der(msg.getMessage())) : msg.getMessage();
                    uri = new URI(base + "&message=" + URLEncoder.encode(message, StandardCharsets.UTF_8));
                    request = new HttpGet(uri);
                }
            } catch (URISyntaxException | IOException e) {
                throw new TransportException("the SCEP URL is malformed: " + e.getMessage(), e);
            }
            HttpAnswer answer;
            try {
                answer = http.send(request);
            } catch (IOException e) {
                throw new TransportException("cannot reach the SCEP server at " + getUrl(msg.getOperation())
                        + ": " + e, e);
            }
            if (answer.status() != 200) {
                throw new TransportException(new HttpStatusException(uri, answer.status(), answer.reason()).getMessage());
            }
            return handler.getResponse(answer.body(), answer.contentType());
        }
    }

    /**
     * The pkiMessage in DER. Bouncy Castle writes the signed content as a BER octet string cut into
     * 1000-byte chunks; some servers (micromdm's Go pkcs7) then hash the chunk headers too and answer
     * "message digest mismatch". DER holds the same content and signature, in the one encoding every
     * server reads.
     */
    static byte[] der(String base64) throws IOException {
        byte[] ber = Base64.getMimeDecoder().decode(base64);
        return ASN1Primitive.fromByteArray(ber).getEncoded(ASN1Encoding.DER);
    }
}
