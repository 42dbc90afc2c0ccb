import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import type { CheckpointRow } from "./repository.js";

// PKCS#8 and SPKI wrappings of a raw Ed25519 seed and public key (RFC 8410).
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** The bytes a checkpoint's signature covers: its place, length and hash of the chain, and time. */
export function checkpointMessage(c: Pick<CheckpointRow, "seq" | "entry_count" | "hash" | "at">): Buffer {
  return Buffer.from(`custos-audit-checkpoint/v1\n${c.seq}\n${c.entry_count}\n${c.hash}\n${c.at}`, "utf8");
}

export interface CheckpointVerifier {
  /** The public key (raw 32 bytes, base64url) signatures are checked against. */
  readonly publicKey: string;
  verify(c: Pick<CheckpointRow, "seq" | "entry_count" | "hash" | "at" | "signature">): boolean;
}

/** Checks signatures with a public key alone (an operator's exported key, kept elsewhere). */
export function checkpointVerifier(publicKeyB64: string): CheckpointVerifier {
  const raw = Buffer.from(publicKeyB64, "base64url");
  if (raw.length !== 32) throw new Error("an Ed25519 public key is 32 bytes (base64url)");
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: "der", type: "spki" });
  return {
    publicKey: publicKeyB64,
    verify(c) {
      if (c.signature === null) return false;
      try {
        return verify(null, checkpointMessage(c), key, Buffer.from(c.signature, "base64url"));
      } catch {
        return false;
      }
    },
  };
}

/**
 * Signs checkpoints with Ed25519. The seed is derived from CUSTOS_AUDIT_SIGNING_KEY, or, when
 * that is unset, from CUSTOS_SECRET_KEY (one secret per deployment, a key per purpose, as the
 * other sealed secrets do). With neither, checkpoints are written unsigned and the server warns.
 */
export class CheckpointSigner implements CheckpointVerifier {
  readonly publicKey: string;
  private readonly privateKey: KeyObject;
  private readonly verifier: CheckpointVerifier;

  constructor(secret: string) {
    const seed = createHash("sha256").update(`custos-audit-checkpoint:${secret}`).digest();
    this.privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
    const spki = createPublicKey(this.privateKey).export({ format: "der", type: "spki" });
    this.publicKey = spki.subarray(SPKI_PREFIX.length).toString("base64url");
    this.verifier = checkpointVerifier(this.publicKey);
  }

  /** The configured signer: CUSTOS_AUDIT_SIGNING_KEY, else CUSTOS_SECRET_KEY, else none. */
  static fromConfig(signingKey: string | undefined, secretKey: string | undefined): CheckpointSigner | null {
    const secret = signingKey ?? secretKey;
    return secret ? new CheckpointSigner(secret) : null;
  }

  sign(c: Pick<CheckpointRow, "seq" | "entry_count" | "hash" | "at">): string {
    return sign(null, checkpointMessage(c), this.privateKey).toString("base64url");
  }

  verify(c: Pick<CheckpointRow, "seq" | "entry_count" | "hash" | "at" | "signature">): boolean {
    return this.verifier.verify(c);
  }
}
