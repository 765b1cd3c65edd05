package carillon.emulator.voice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two AEAD transport encryption modes JDA 6.5 offers, both "rtpsize": the unencrypted RTP header
 * (including the 4-byte extension header, if any) is the associated data, and a 4-byte big-endian nonce
 * counter trails the datagram. AES-256-GCM pads the counter with zeros to 12 bytes; XChaCha20-Poly1305
 * pads it to 24 bytes and is built here from HChaCha20 plus the JDK's ChaCha20-Poly1305 (no extra dependency).
 */
enum VoiceCrypto {
  AES256_GCM("aead_aes256_gcm_rtpsize", 12),
  XCHACHA20_POLY1305("aead_xchacha20_poly1305_rtpsize", 24);

  static final int TAG_BYTES = 16;
  static final int COUNTER_BYTES = 4;

  final String mode;
  final int nonceBytes;

  VoiceCrypto(String mode, int nonceBytes) {
    this.mode = mode;
    this.nonceBytes = nonceBytes;
  }

  static VoiceCrypto fromMode(String mode) {
    for (VoiceCrypto c : values()) {
      if (c.mode.equals(mode)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unsupported encryption mode: " + mode);
  }

  byte[] nonce(int counter) {
    byte[] nonce = new byte[nonceBytes];
    ByteBuffer.wrap(nonce).putInt(counter);
    return nonce;
  }

  byte[] decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] cipherTextAndTag)
      throws GeneralSecurityException {
    return run(Cipher.DECRYPT_MODE, key, nonce, aad, cipherTextAndTag);
  }

  byte[] encrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plainText) throws GeneralSecurityException {
    return run(Cipher.ENCRYPT_MODE, key, nonce, aad, plainText);
  }

  private byte[] run(int opmode, byte[] key, byte[] nonce, byte[] aad, byte[] input)
      throws GeneralSecurityException {
    return switch (this) {
      case AES256_GCM -> {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(opmode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
        c.updateAAD(aad);
        yield c.doFinal(input);
      }
      case XCHACHA20_POLY1305 -> {
        byte[] subKey = hChaCha20(key, Arrays.copyOfRange(nonce, 0, 16));
        byte[] chachaNonce = new byte[12];
        System.arraycopy(nonce, 16, chachaNonce, 4, 8);
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(opmode, new SecretKeySpec(subKey, "ChaCha20"), new IvParameterSpec(chachaNonce));
        c.updateAAD(aad);
        yield c.doFinal(input);
      }
    };
  }

  /** HChaCha20 (draft-irtf-cfrg-xchacha): derives the XChaCha20 subkey from the key and the first 16 nonce bytes. */
  static byte[] hChaCha20(byte[] key, byte[] nonce16) {
    int[] s = new int[16];
    s[0] = 0x61707865;
    s[1] = 0x3320646e;
    s[2] = 0x79622d32;
    s[3] = 0x6b206574;
    ByteBuffer k = ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      s[4 + i] = k.getInt();
    }
    ByteBuffer n = ByteBuffer.wrap(nonce16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 4; i++) {
      s[12 + i] = n.getInt();
    }
    for (int round = 0; round < 10; round++) {
      quarter(s, 0, 4, 8, 12);
      quarter(s, 1, 5, 9, 13);
      quarter(s, 2, 6, 10, 14);
      quarter(s, 3, 7, 11, 15);
      quarter(s, 0, 5, 10, 15);
      quarter(s, 1, 6, 11, 12);
      quarter(s, 2, 7, 8, 13);
      quarter(s, 3, 4, 9, 14);
    }
    ByteBuffer out = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    for (int i : new int[] {0, 1, 2, 3, 12, 13, 14, 15}) {
      out.putInt(s[i]);
    }
    return out.array();
  }

  private static void quarter(int[] s, int a, int b, int c, int d) {
    s[a] += s[b];
    s[d] = Integer.rotateLeft(s[d] ^ s[a], 16);
    s[c] += s[d];
    s[b] = Integer.rotateLeft(s[b] ^ s[c], 12);
    s[a] += s[b];
    s[d] = Integer.rotateLeft(s[d] ^ s[a], 8);
    s[c] += s[d];
    s[b] = Integer.rotateLeft(s[b] ^ s[c], 7);
  }
}
