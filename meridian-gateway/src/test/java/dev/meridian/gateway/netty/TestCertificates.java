package dev.meridian.gateway.netty;

import dev.meridian.gateway.GatewayOptions.CertificateFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away CA and leaf certificates (EC P-256) written as PEM files, for TLS tests. */
final class TestCertificates {

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  final KeyPair caKeys;
  final X509Certificate ca;

  TestCertificates() throws Exception {
    caKeys = keys();
    ca = sign(new X500Name("CN=Meridian Test CA"), caKeys, caKeys, null, true, List.of());
  }

  /** A leaf for {@code cn} with DNS/IP subject alternative names, signed by the CA. */
  CertificateFiles leaf(Path dir, String file, String cn, String... names) throws Exception {
    KeyPair keys = keys();
    List<GeneralName> sans = new ArrayList<>();
    for (String n : names) {
      sans.add(
          n.chars().allMatch(c -> Character.isDigit(c) || c == '.')
              ? new GeneralName(GeneralName.iPAddress, n)
              : new GeneralName(GeneralName.dNSName, n));
    }
    X509Certificate cert =
        sign(
            new X500Name("CN=" + cn),
            keys,
            caKeys,
            new X500Name("CN=Meridian Test CA"),
            false,
            sans);
    Path c = dir.resolve(file + ".crt");
    Path k = dir.resolve(file + ".key");
    write(c, pem("CERTIFICATE", cert.getEncoded()) + pem("CERTIFICATE", ca.getEncoded()));
    write(k, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    return new CertificateFiles(c, k);
  }

  Path caFile(Path dir) throws Exception {
    Path p = dir.resolve("ca.crt");
    write(p, pem("CERTIFICATE", ca.getEncoded()));
    return p;
  }

  private static void write(Path p, String content) throws IOException {
    // write then move, so that a reload never reads half a file
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(
        tmp,
        p,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static KeyPair keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(
      X500Name subject,
      KeyPair subjectKeys,
      KeyPair issuerKeys,
      X500Name issuer,
      boolean isCa,
      List<GeneralName> sans)
      throws Exception {
    long now = System.currentTimeMillis();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            issuer == null ? subject : issuer,
            BigInteger.valueOf(SERIAL.incrementAndGet()),
            new Date(now - 60_000),
            new Date(now + 86_400_000L),
            subject,
            subjectKeys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    if (!sans.isEmpty()) {
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
    }
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
