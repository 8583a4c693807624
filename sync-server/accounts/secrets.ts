/**
 * Secrets of the account system: the server secret (keys the PIN hashes; kept in MIXDESK_DATA,
 * created on first start, readable by the server's user only), random credentials, and hashing.
 *
 * PINs are hashed with HMAC-SHA-256 under the server secret because a 6-digit PIN has only a
 * million values: a plain hash would fall to a lookup table if the database leaked. Session ids
 * and API tokens carry 256 random bits, so a plain SHA-256 is enough for them.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SECRET_FILE = 'account-secret';

/** Reads `<dataDir>/account-secret`, creating it (32 random bytes, mode 0600) when missing. */
export function loadServerSecret(dataDir: string): Buffer {
  const file = join(dataDir, SECRET_FILE);
  if (!existsSync(file)) {
    try {
      writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it between the check and the write: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (secret.length < 32)
    throw new Error(
      `${file} must hold at least 32 bytes as hex; delete it to make a new one (this signs everyone out)`,
    );
  return secret;
}

/** `bytes` random bytes as base64url (32 bytes = 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function hmacSha256(secret: Buffer, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
