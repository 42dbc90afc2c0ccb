import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Header carrying the signature: `t=<unix seconds>,v1=<hex HMAC>[,v1=<hex HMAC>]`. */
export const SIGNATURE_HEADER = "custos-signature";

/** A new endpoint secret; the prefix says what it is when it turns up in a config file. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** HMAC-SHA256 over `<timestamp>.<body>`, hex. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/**
 * The signature header for `body` at `timestamp`. During a rotation overlap it carries one v1
 * per live secret (newest first), so receivers holding either secret accept the delivery.
 */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signPayload(s, timestamp, body)}`)].join(",");
}

/**
 * Checks a signature header against `secret`: some v1 must match and the timestamp must lie
 * within `toleranceSeconds` of `now` (replay window). What receivers do; used by the tests.
 */
export function verifySignature(secret: string, header: string, body: string, now = Date.now(), toleranceSeconds = 300): boolean {
  let t: number | undefined;
  const sigs: string[] = [];
  for (const part of header.split(",")) {
    const [k, v] = part.split("=", 2);
    if (k === "t" && v && /^\d+$/.test(v)) t = Number(v);
    else if (k === "v1" && v) sigs.push(v);
  }
  if (t === undefined || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, t, body), "hex");
  return sigs.some((s) => {
    const got = Buffer.from(s, "hex");
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
