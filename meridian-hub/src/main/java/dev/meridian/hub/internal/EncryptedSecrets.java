package dev.meridian.hub.internal;

import dev.meridian.store.KeyValue;
import dev.meridian.store.Lease;
import dev.meridian.store.ListResult;
import dev.meridian.store.Precondition;
import dev.meridian.store.Store;
import dev.meridian.store.StoreException;
import dev.meridian.store.Watch;
import dev.meridian.store.WatchEvent;
import dev.meridian.store.WatchListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts Secrets at rest, as Kubernetes' {@code EncryptionConfiguration} with {@code aesgcm}
 * does: values under {@code /registry/core/secrets/} are stored as {@code
 * k8s:enc:aesgcm:v1:meridian:} + nonce + AES-256-GCM ciphertext, with the key name bound as
 * additional data so a value cannot be moved to another key. Everything else passes through.
 *
 * <p>The data key lives in {@code DATA/pki/encryption.key} (owner-only). Member credentials
 * (kubeconfigs) are Secrets, so they are never on disk in clear.
 */
public final class EncryptedSecrets implements Store {
  static final String PREFIX = "/registry/core/secrets/";
  private static final byte[] MAGIC =
      "k8s:enc:aesgcm:v1:meridian:".getBytes(StandardCharsets.US_ASCII);
  private static final int NONCE = 12;

  private final Store delegate;
  private final SecretKey key;
  private final SecureRandom random = new SecureRandom();

  public EncryptedSecrets(Store delegate, SecretKey key) {
    this.delegate = delegate;
    this.key = key;
  }

  /** Loads the data key from {@code file}, creating it on first use. */
  public static SecretKey loadOrCreateKey(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        DurableFiles.write(
            file, java.util.Base64.getEncoder().encodeToString(raw), DurableFiles.OWNER_ONLY);
      }
      byte[] raw = java.util.Base64.getDecoder().decode(Files.readString(file).trim());
      if (raw.length != 32) {
        throw new IllegalStateException(file + " does not hold a 256-bit key");
      }
      return new SecretKeySpec(raw, "AES");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the encryption key: " + e.getMessage(), e);
    }
  }

  private static boolean secret(String key) {
    return key.startsWith(PREFIX);
  }

  byte[] encrypt(String storeKey, byte[] plain) {
    try {
      byte[] nonce = new byte[NONCE];
      random.nextBytes(nonce);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
      c.updateAAD(storeKey.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plain);
      return ByteBuffer.allocate(MAGIC.length + NONCE + sealed.length)
          .put(MAGIC)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new StoreException("cannot encrypt " + storeKey, e);
    }
  }

  byte[] decrypt(String storeKey, byte[] stored) {
    if (stored == null || !startsWithMagic(stored)) {
      return stored; // written before encryption was enabled
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, MAGIC.length, NONCE));
      c.updateAAD(storeKey.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(stored, MAGIC.length + NONCE, stored.length - MAGIC.length - NONCE);
    } catch (GeneralSecurityException e) {
      throw new StoreException(
          "cannot decrypt " + storeKey + ": wrong encryption key or damaged value", e);
    }
  }

  private static boolean startsWithMagic(byte[] v) {
    return v.length > MAGIC.length + NONCE
        && Arrays.equals(v, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  private KeyValue open(KeyValue kv) {
    if (kv == null || !secret(kv.key()) || kv.value() == null) {
      return kv;
    }
    return new KeyValue(
        kv.key(),
        decrypt(kv.key(), kv.value()),
        kv.createRevision(),
        kv.modRevision(),
        kv.version(),
        kv.lease());
  }

  @Override
  public long currentRevision() {
    return delegate.currentRevision();
  }

  @Override
  public long compactRevision() {
    return delegate.compactRevision();
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return delegate.get(key).map(this::open);
  }

  @Override
  public ListResult list(String prefix) {
    ListResult r = delegate.list(prefix);
    if (!secret(prefix) && !PREFIX.startsWith(prefix)) {
      return r;
    }
    List<KeyValue> items = new ArrayList<>(r.items().size());
    r.items().forEach(kv -> items.add(open(kv)));
    return new ListResult(items, r.revision());
  }

  @Override
  public KeyValue put(String key, byte[] value, Precondition precondition, long lease) {
    if (!secret(key)) {
      return delegate.put(key, value, precondition, lease);
    }
    KeyValue stored = delegate.put(key, encrypt(key, value), precondition, lease);
    return new KeyValue(
        key,
        value,
        stored.createRevision(),
        stored.modRevision(),
        stored.version(),
        stored.lease());
  }

  @Override
  public Optional<KeyValue> delete(String key, Precondition precondition) {
    return delegate.delete(key, precondition).map(this::open);
  }

  @Override
  public Watch watch(String prefix, long fromRevision, WatchListener listener) {
    return delegate.watch(
        prefix,
        fromRevision,
        new WatchListener() {
          @Override
          public void onEvent(WatchEvent e) {
            listener.onEvent(new WatchEvent(e.type(), open(e.kv()), open(e.prevKv())));
          }

          @Override
          public void onError(StoreException error) {
            listener.onError(error);
          }

          @Override
          public int maxBacklog() {
            return listener.maxBacklog();
          }
        });
  }

  @Override
  public Lease grantLease(Duration ttl) {
    return delegate.grantLease(ttl);
  }

  @Override
  public void keepAlive(long leaseId) {
    delegate.keepAlive(leaseId);
  }

  @Override
  public void revokeLease(long leaseId) {
    delegate.revokeLease(leaseId);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
