import { randomBytes, randomInt } from "node:crypto";

/** Random, URL-safe token of `bytes` bytes of entropy. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

const REQUEST_PREFIX = `req_${randomBytes(6).toString("hex")}`;
let requestCounter = 0;

/**
 * Request ids say what they are. They need to be unique, not secret: a per-process random
 * prefix and a counter, which costs nothing on the hot path.
 */
export function newRequestId(): string {
  requestCounter = (requestCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${REQUEST_PREFIX}${requestCounter.toString(36).padStart(6, "0")}`;
}

export function randomDigits(count: number): string {
  // One draw for all the digits (bulk imports make a handle per row); uniform over 0..10^count-1.
  if (count <= 12) return String(randomInt(10 ** count)).padStart(count, "0");
  let out = "";
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}
