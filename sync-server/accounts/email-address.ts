/** Email addresses as the account system keys them: trimmed, lower case, plausibly shaped, bounded. */
export const EMAIL_MAX_LENGTH = 254;
const EMAIL_SHAPE = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;

/** The normalised address, or null when it cannot be one. */
export function normaliseEmail(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const email = raw.trim().toLowerCase();
  return email.length <= EMAIL_MAX_LENGTH && EMAIL_SHAPE.test(email) ? email : null;
}
