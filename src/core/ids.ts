import { randomBytes, randomFillSync, randomInt } from "node:crypto";

const pool = Buffer.allocUnsafe(4096);
let poolUsed = pool.length;

/**
 * `n` bytes from the system CSPRNG, drawn 4 KB at a time: the same randomness as randomBytes
 * without a call into OpenSSL for every IV, key or token on a write's hot path. Each caller gets
 * its own copy; no byte is handed out twice.
 */
export function secureRandomBytes(n: number): Buffer {
  if (n > 256) return randomBytes(n);
  if (poolUsed + n > pool.length) {
    randomFillSync(pool);
    poolUsed = 0;
  }
  const out = Buffer.from(pool.subarray(poolUsed, poolUsed + n));
  poolUsed += n;
  return out;
}

/** Random, URL-safe token of `bytes` bytes of entropy. */
export function randomToken(bytes = 24): string {
  return secureRandomBytes(bytes).toString("base64url");
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
