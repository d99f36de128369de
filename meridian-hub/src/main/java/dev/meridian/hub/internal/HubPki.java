package dev.meridian.hub.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The hub's own certificate authority and its serving certificate, kept in {@code DIR/pki}.
 *
 * <p>On first start the hub creates a CA (ECDSA P-256, ten years) and signs a serving certificate
 * for the names it answers to; the serving certificate is renewed when it nears expiry or when the
 * hub listens on a name it does not cover. The CA's certificate is copied to {@code DIR/ca.crt} for
 * clients; private keys are owner-readable only and never logged.
 */
public final class HubPki {
  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Duration SERVING_LIFETIME = Duration.ofDays(365);
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);

  private final Path caCert;
  private final Path servingCert;
  private final Path servingKey;

  private HubPki(Path caCert, Path servingCert, Path servingKey) {
    this.caCert = caCert;
    this.servingCert = servingCert;
    this.servingKey = servingKey;
  }

  /** The CA certificate clients should trust ({@code DIR/ca.crt}). */
  public Path caCertificate() {
    return caCert;
  }

  public Path servingCertificate() {
    return servingCert;
  }

  public Path servingKey() {
    return servingKey;
  }

  /** Loads the PKI in {@code dataDir}, creating or renewing what is missing or stale. */
  public static HubPki ensure(Path dataDir, String listenHost) {
    try {
      Path pki = dataDir.resolve("pki");
      Files.createDirectories(pki);
      Path caCrt = pki.resolve("ca.crt");
      Path caKey = pki.resolve("ca.key");
      Path crt = pki.resolve("hub.crt");
      Path key = pki.resolve("hub.key");
      if (!Files.exists(caCrt) || !Files.exists(caKey)) {
        KeyPair ca = newKeyPair();
        X509Certificate cert = selfSignedCa(ca);
        writePrivate(caKey, pem(ca.getPrivate()));
        writePublic(caCrt, pem(cert));
        Files.deleteIfExists(crt);
      }
      Set<String> names = names(listenHost);
      if (!Files.exists(crt) || !Files.exists(key) || stale(readCert(crt), names)) {
        KeyPair serving = newKeyPair();
        X509Certificate cert = signServing(readCert(caCrt), readKey(caKey), serving, names);
        writePrivate(key, pem(serving.getPrivate()));
        writePublic(crt, pem(cert) + Files.readString(caCrt));
      }
      Path exported = dataDir.resolve("ca.crt");
      if (!Files.exists(exported) || !Files.readString(exported).equals(Files.readString(caCrt))) {
        writePublic(exported, Files.readString(caCrt));
      }
      return new HubPki(exported, crt, key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the hub's certificates: " + e.getMessage(), e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot set up the hub's certificates: " + e.getMessage(), e);
    }
  }

  private static Set<String> names(String listenHost) {
    Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    if (listenHost != null
        && !listenHost.isEmpty()
        && !listenHost.equals("0.0.0.0")
        && !listenHost.equals("::")) {
      names.add(listenHost);
    }
    try {
      names.add(InetAddress.getLocalHost().getHostName());
    } catch (IOException e) {
      // no resolvable host name: the loopback names still work
    }
    return names;
  }

  private static boolean stale(X509Certificate cert, Set<String> names)
      throws GeneralSecurityException {
    if (cert.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
      return true;
    }
    Set<String> covered = new LinkedHashSet<>();
    Collection<List<?>> sans = cert.getSubjectAlternativeNames();
    if (sans != null) {
      for (List<?> san : sans) {
        covered.add(String.valueOf(san.get(1)));
      }
    }
    for (String n : names) {
      if (!covered.contains(n) && !covered.contains(normalizeIp(n))) {
        return true;
      }
    }
    return false;
  }

  private static String normalizeIp(String n) {
    return n.equals("::1") ? "0:0:0:0:0:0:0:1" : n;
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static X509Certificate selfSignedCa(KeyPair ca)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name subject = new X500Name("CN=meridian-hub-ca,O=Meridian");
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            subject,
            serial(),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(CA_LIFETIME)),
            subject,
            ca.getPublic());
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
    b.addExtension(
        Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
    return sign(b, ca.getPrivate());
  }

  private static X509Certificate signServing(
      X509Certificate caCert, PrivateKey caKey, KeyPair serving, Set<String> names)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            caCert,
            serial(),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(SERVING_LIFETIME)),
            new X500Name("CN=meridian-hub"),
            serving.getPublic());
    List<GeneralName> sans = new ArrayList<>();
    for (String n : names) {
      boolean ip = n.matches("[0-9.]+") || n.contains(":");
      try {
        sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
      } catch (IllegalArgumentException e) {
        // not a usable name (e.g. 256.1.1.1): binding to it fails later with a clear message
      }
    }
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    b.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    b.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(sans.toArray(new GeneralName[0])));
    b.addExtension(
        Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
    return sign(b, caKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static BigInteger serial() {
    return new BigInteger(127, new SecureRandom());
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(
          o instanceof PrivateKey k
              ? new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY", k.getEncoded())
              : o);
    }
    return w.toString();
  }

  private static X509Certificate readCert(Path p) throws IOException, GeneralSecurityException {
    try (var in = Files.newInputStream(p)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static PrivateKey readKey(Path p) throws IOException, GeneralSecurityException {
    String text = Files.readString(p, StandardCharsets.US_ASCII);
    String b64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
  }

  private static void writePrivate(Path p, String content) throws IOException {
    DurableFiles.write(p, content, DurableFiles.OWNER_ONLY);
  }

  private static void writePublic(Path p, String content) throws IOException {
    DurableFiles.write(p, content, DurableFiles.PUBLIC);
  }
}
