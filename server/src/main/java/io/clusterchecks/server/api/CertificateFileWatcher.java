package io.clusterchecks.server.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart: the PEM certificate and key files are read every
 * {@code interval}, and when their content changed and they load as a matching pair, the new pair
 * is handed to {@code install} (the API's {@code SslContextFactory.reload}); new connections get it,
 * open ones keep theirs.
 *
 * <p>Why compare content rather than modification times: cert-manager and Secret volumes swap a
 * symlink, and a renewal may write both files within one time tick. Why require a matching pair:
 * the two files are rarely replaced at the same instant, and a certificate with the previous key
 * would fail every handshake, so a half-written pair waits for the next poll while the current one
 * is served. A pair that does not load is logged once per distinct content.
 */
final class CertificateFileWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateFileWatcher.class);

  private final Path certFile;
  private final Path keyFile;
  private final Duration interval;
  private final Consumer<ServerCertificate> install;
  private ScheduledExecutorService executor;
  /** Digest of the two files as last seen (installed, or refused and logged). */
  private byte[] seen;
  /** Digest of the last pair refused and logged, so a lasting problem is logged once. */
  private byte[] lastRefused;

  CertificateFileWatcher(Path certFile, Path keyFile, Duration interval, Consumer<ServerCertificate> install) {
    this.certFile = Objects.requireNonNull(certFile, "certFile");
    this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.install = Objects.requireNonNull(install, "install");
    this.seen = digestOrNull();
  }

  synchronized CertificateFileWatcher start() {
    executor = FilePolling.every(interval, "api-certificate-files", this::poll);
    return this;
  }

  synchronized void poll() {
    byte[] now = digestOrNull();
    if (now == null || Arrays.equals(now, seen)) {
      return;
    }
    ServerCertificate certificate;
    try {
      certificate = ServerCertificate.fromPem(certFile, keyFile);
      requireMatchingKey(certificate);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // The other file may still be on its way: try again at the next poll, say so once.
      if (!Arrays.equals(now, lastRefused)) {
        LOG.warn("API certificate files {} and {} changed but cannot be used yet ({}); serving the current certificate",
            certFile, keyFile, e.getMessage());
        lastRefused = now;
      }
      return;
    }
    try {
      install.accept(certificate);
    } catch (RuntimeException e) {
      LOG.warn("API certificate from {} could not be installed; serving the current one", certFile, e);
      lastRefused = now;
      return;
    }
    seen = now;
    LOG.info("API certificate reloaded from {} (subject {}, valid until {})", certFile,
        certificate.chain().get(0).getSubjectX500Principal(), certificate.chain().get(0).getNotAfter().toInstant());
  }

  /** The key signs what the leaf certificate's public key verifies, or this throws. */
  private static void requireMatchingKey(ServerCertificate c) throws GeneralSecurityException {
    String algorithm = c.key().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + c.key().getAlgorithm();
    byte[] probe = new byte[32];
    new SecureRandom().nextBytes(probe);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(c.key());
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(c.chain().get(0).getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException("the key does not match the certificate");
    }
  }

  /** SHA-256 of both files' bytes, or null while one cannot be read (it may be being replaced). */
  private byte[] digestOrNull() {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(Files.readAllBytes(certFile));
      d.update((byte) 0);
      d.update(Files.readAllBytes(keyFile));
      return d.digest();
    } catch (IOException | GeneralSecurityException e) {
      return null;
    }
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
