import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Prefix of every sealed value, so a future format can be told apart from this one. */
const FORMAT = 'v1.';

/**
 * Encrypts secrets at rest (DESIGN §6) with AES-256-GCM under CAIRN_SECRET_KEY, a fresh random nonce
 * per value. The context (e.g. "job:<id>:passphrase") is authenticated too, so a sealed value copied
 * into another row or column does not decrypt there.
 */
export class SecretBox {
  // A private field: the key is not enumerable, so no logger or inspector can print it by accident.
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    this.#key = Buffer.from(key);
  }

  static fromHex(hex: string): SecretBox {
    return new SecretBox(Buffer.from(hex, 'hex'));
  }

  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#key, nonce);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return FORMAT + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
  }

  open(sealed: string, context: string): string {
    const bytes = sealed.startsWith(FORMAT) ? Buffer.from(sealed.slice(FORMAT.length), 'base64') : undefined;
    if (!bytes || bytes.length < NONCE_BYTES + TAG_BYTES) throw new SecretBoxError(context);
    const decipher = createDecipheriv(ALGORITHM, this.#key, bytes.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretBoxError(context);
    }
  }
}

export class SecretBoxError extends Error {
  constructor(context: string) {
    super(
      `cannot decrypt the stored secret ${context}: CAIRN_SECRET_KEY differs from the key it was saved with, or the value was altered`,
    );
  }
}
