package io.layerproof.wallet.keystore;

import java.util.Objects;

/**
 * A keystore could not be created, imported or unlocked. The message says why in words for a
 * person; {@link #reason()} says it for code. Messages never contain a key or a password.
 */
public final class KeystoreException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why a keystore operation failed. */
  public enum Reason {
    /** The password does not match the file (its MAC check failed). */
    WRONG_PASSWORD,
    /** The file is not a well-formed version 3 keystore (bad JSON, fields, hex or parameters). */
    MALFORMED,
    /** A well-formed keystore this wallet does not read (another version, cipher or KDF). */
    UNSUPPORTED,
    /** The file decrypts, but to a key whose address is not the one the file names. */
    ADDRESS_MISMATCH,
    /** A private key to import is not 32 bytes of hex in the secp256k1 range. */
    INVALID_KEY,
    /** Refusing to overwrite an existing file. */
    FILE_EXISTS,
    /** No file at the given path. */
    NOT_FOUND,
    /** Reading or writing failed (permissions, disk, file system without POSIX modes). */
    IO
  }

  private final Reason reason;

  KeystoreException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason);
  }

  KeystoreException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }
}
