package com.cloudextender.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import com.cloudextender.api.OutboundProxies;

/**
 * The baseline of the SCEP benchmark: enrolments with jSCEP directly, without the extender, doing per
 * enrolment what the module's enroller does (a jSCEP {@code Client}, GetCACert, a fresh RSA-2048 transient
 * identity, PKCSReq). The integration module does not depend on jSCEP, so the jars come from the scep module
 * package itself (same jSCEP version) and are called by reflection. Two module classes are used as they are:
 * its HTTP transport, which sends pkiMessages in DER (scepserver refuses jSCEP's BER, see the module's
 * README), and its transient identity, so that both sides do the same crypto work. Thread-safe.
 */
final class DirectJscep implements AutoCloseable {
    private final URLClassLoader loader;
    private final URL url;
    private final Object http;
    private final Object transports;
    private final Class<?> client;
    private final Class<?> verifier;
    private final Method setTransportFactory;
    private final Method getCaCertificate;
    private final Method enrol;
    private final Method createIdentity;

    private DirectJscep(URLClassLoader loader, URL url) throws ReflectiveOperationException {
        this.loader = loader;
        this.url = url;
        Class<?> scepHttp = loader.loadClass("com.cloudextender.modules.support.http.ModuleHttp");
        Class<?> options = loader.loadClass("com.cloudextender.modules.support.http.ModuleHttp$Options");
        OutboundProxies direct = (host, port) -> Optional.empty();
        this.http = scepHttp.getMethod("open", OutboundProxies.class, Optional.class, options).invoke(null, direct,
                Optional.empty(), options.getMethod("defaults").invoke(null));
        this.transports = loader.loadClass("com.cloudextender.modules.scep.transport.HttpClientTransportFactory")
                .getConstructor(scepHttp).newInstance(http);
        this.client = loader.loadClass("org.jscep.client.Client");
        this.verifier = loader.loadClass("org.jscep.client.verification.OptimisticCertificateVerifier");
        this.setTransportFactory = client.getMethod("setTransportFactory",
                loader.loadClass("org.jscep.transport.TransportFactory"));
        this.getCaCertificate = client.getMethod("getCaCertificate");
        this.enrol = client.getMethod("enrol", X509Certificate.class, PrivateKey.class, PKCS10CertificationRequest.class);
        this.createIdentity = loader.loadClass("com.cloudextender.modules.scep.keys.TransientIdentity")
                .getMethod("create", X500Principal.class);
    }

    /** jSCEP against {@code scepUrl}, with the jars of the scep module package {@code cxm} unpacked in {@code work}. */
    static DirectJscep open(Path cxm, Path work, String scepUrl) throws IOException, ReflectiveOperationException {
        Files.createDirectories(work);
        List<URL> jars = new ArrayList<>();
        try (ZipFile zip = new ZipFile(cxm.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.getName().startsWith("lib/") && e.getName().endsWith(".jar")) {
                    Path jar = work.resolve(e.getName().substring(4));
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, jar);
                    }
                    jars.add(jar.toUri().toURL());
                }
            }
        }
        // Parent first: the API, Bouncy Castle and the logging API are the same classes as the caller's.
        URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), DirectJscep.class.getClassLoader());
        return new DirectJscep(loader, new URL(scepUrl));
    }

    /** Enrols {@code csr}; returns the issued certificate's serial, or throws with the CA's answer. */
    String enrol(PKCS10CertificationRequest csr) throws Exception {
        try {
            Object identity = createIdentity.invoke(null, new X500Principal(csr.getSubject().getEncoded()));
            X509Certificate cert = (X509Certificate) identity.getClass().getMethod("certificate").invoke(identity);
            PrivateKey key = (PrivateKey) identity.getClass().getMethod("key").invoke(identity);
            Object c = client.getConstructor(URL.class, loader.loadClass("org.jscep.client.verification.CertificateVerifier"))
                    .newInstance(url, verifier.getConstructor().newInstance());
            setTransportFactory.invoke(c, transports);
            getCaCertificate.invoke(c); // as the module does before each enrolment
            Object response = enrol.invoke(c, cert, key, csr);
            if (!(Boolean) response.getClass().getMethod("isSuccess").invoke(response)) {
                throw new IllegalStateException("the CA did not issue: pending=" + response.getClass()
                        .getMethod("isPending").invoke(response) + ", " + response);
            }
            java.security.cert.CertStore store = (java.security.cert.CertStore) response.getClass()
                    .getMethod("getCertStore").invoke(response);
            return store.getCertificates(null).stream().map(x -> ((X509Certificate) x))
                    .filter(x -> x.getBasicConstraints() < 0).findFirst()
                    .map(x -> x.getSerialNumber().toString(16))
                    .orElseThrow(() -> new IllegalStateException("the CA's answer holds no end-entity certificate"));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            http.getClass().getMethod("close").invoke(http);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot close the baseline's HTTP client: " + e, e);
        }
        loader.close();
    }
}
