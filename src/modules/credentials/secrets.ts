import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { type Algorithm, hash, parseOptions, verify } from "@node-rs/argon2";

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
// The package declares its enum `const`, which isolated modules cannot inline; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

export function hashSecret(secret: string): Promise<string> {
  return hash(secret, { ...ARGON2_PARAMS, algorithm: ARGON2ID });
}

export async function verifySecret(stored: string, candidate: string): Promise<boolean> {
  try {
    return await verify(stored, candidate);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters than today's (rehash it on next login). */
export function needsRehash(stored: string): boolean {
  try {
    const p = parseOptions(stored);
    return p.algorithm !== ARGON2ID || p.memoryCost !== ARGON2_PARAMS.memoryCost || p.timeCost !== ARGON2_PARAMS.timeCost || p.parallelism !== ARGON2_PARAMS.parallelism;
  } catch {
    return true;
  }
}

// A real hash of a random string: verifying against it costs what a real check costs, so an
// unknown login name takes as long to refuse as a wrong password.
let dummy: Promise<string> | undefined;
export async function burnVerify(candidate: string): Promise<void> {
  dummy ??= hashSecret(randomBytes(16).toString("hex"));
  await verifySecret(await dummy, candidate);
}

/** Session, confirmation and backup tokens are long random strings: one SHA-256 suffices. */
export const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/**
 * Encrypts TOTP secrets at rest with AES-256-GCM under a key derived from CUSTOS_SECRET_KEY.
 * Without that key secrets are stored as they are (prefixed `plain:`): the database then must be
 * protected like the key would be. Both forms are read, so a key can be introduced later.
 */
export class SecretBox {
  private readonly key: Buffer | null;
  /** `purpose` derives a separate key per use (TOTP secrets, request-signing secrets). */
  constructor(secretKey: string | undefined, purpose = "custos-totp") {
    this.key = secretKey ? createHash("sha256").update(`${purpose}:${secretKey}`).digest() : null;
  }

  seal(plain: string): string {
    if (!this.key) return `plain:${plain}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `v1:${iv.toString("base64url")}:${cipher.getAuthTag().toString("base64url")}:${ct.toString("base64url")}`;
  }

  open(sealed: string): string {
    if (sealed.startsWith("plain:")) return sealed.slice(6);
    const [v, iv, tag, ct] = sealed.split(":");
    if (v !== "v1" || !iv || !tag || ct === undefined || !this.key) throw new Error("Secret cannot be decrypted: CUSTOS_SECRET_KEY missing or changed");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  }
}
