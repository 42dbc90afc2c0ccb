import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../../core/clock.js";
import { AppError } from "../../core/errors.js";
import type { Storage } from "../../storage/db.js";
import { SecretBox } from "../credentials/secrets.js";
import { SigningRepository } from "./signing-repository.js";

/** The signature headers of a request (HTTP headers or AMQP message headers), as sent. */
export interface SignedRequest {
  keyId: unknown;
  signature: unknown;
  version: unknown;
  method: unknown;
  created: unknown;
  /** The raw body the signature covers (after Signature-Created). */
  body: Buffer;
}

/** `date('c')` (2012-06-01T14:03:07+02:00), with optional fractions, or UTC with Z. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const refuse = (message: string): AppError => new AppError("unauthenticated", message);

/**
 * HMAC-signed requests (signed JSON and binary RPC transports): Signature = base64(HMAC-SHA1(secret,
 * Signature-Created + raw body)). The secret is per API key, made when the key is created with
 * `signing: true`, shown once, and stored sealed with CUSTOS_SECRET_KEY (the server has to use
 * it, so it cannot be hashed). A timestamp outside the window is refused, and so is a signature
 * already seen within it: seen signatures live in the database, so a replay to another process
 * on the same PostgreSQL is refused too.
 */
export class RequestSigning {
  private readonly box: SecretBox;

  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    secretKey: string | undefined,
    /** Accepted distance of Signature-Created from now, either way. */
    readonly windowSeconds = 300,
  ) {
    this.box = new SecretBox(secretKey, "custos-signing");
  }

  /** A new signing secret for the key (replacing any earlier one), in the caller's transaction. */
  async issue(keyId: number): Promise<string> {
    const secret = `ss_${randomBytes(24).toString("base64url")}`;
    await new SigningRepository(this.storage.db).put(keyId, this.box.seal(secret), this.clock.now().toISOString());
    return secret;
  }

  /** Checks the headers and the signature; answers the key id, or throws unauthenticated. */
  async verify(req: SignedRequest): Promise<number> {
    const keyId = typeof req.keyId === "string" && /^[1-9]\d{0,14}$/.test(req.keyId.trim()) ? Number(req.keyId.trim()) : null;
    if (keyId === null) throw refuse("Customer-Key-ID must be the numeric id of an API key");
    if (String(req.version ?? "") !== "1") throw refuse("Signature-Version must be 1");
    if (String(req.method ?? "") !== "HMAC/SHA1") throw refuse("Signature-Method must be HMAC/SHA1");
    const created = typeof req.created === "string" ? req.created.trim() : "";
    if (!ISO_8601.test(created) || Number.isNaN(Date.parse(created))) throw refuse("Signature-Created must be an ISO-8601 time with Z or a +hh:mm offset");
    const now = this.clock.now().getTime();
    const at = Date.parse(created);
    if (Math.abs(now - at) > this.windowSeconds * 1000) throw refuse(`Signature-Created is more than ${this.windowSeconds} s from the server's time`);
    const given = typeof req.signature === "string" ? Buffer.from(req.signature.trim(), "base64") : Buffer.alloc(0);

    const repo = new SigningRepository(this.storage.db);
    const sealed = await repo.sealedSecret(keyId);
    // An unknown key, a key without a signing secret and a wrong signature read the same.
    const secret = sealed === undefined ? randomBytes(24).toString("base64url") : this.box.open(sealed);
    const expected = createHmac("sha1", secret).update(Buffer.concat([Buffer.from(created, "utf8"), req.body])).digest();
    const match = given.length === expected.length && timingSafeEqual(given, expected);
    if (sealed === undefined || !match) throw refuse("The signature is not valid for this key and body");

    const digest = createHash("sha256").update(`${keyId}:${expected.toString("base64")}`).digest("hex");
    await repo.forgetBefore(new Date(now).toISOString());
    try {
      await repo.remember(digest, keyId, new Date(at + this.windowSeconds * 1000).toISOString());
    } catch (error) {
      if (error instanceof AppError && error.code === "conflict") throw refuse("This signature was used before: sign every request anew");
      throw error;
    }
    return keyId;
  }
}
