import { randomBytes, randomInt } from "node:crypto";

/** Random, URL-safe token of `bytes` bytes of entropy. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString("base64url");
}

/** Request ids say what they are. */
export function newRequestId(): string {
  return `req_${randomBytes(12).toString("hex")}`;
}

export function randomDigits(count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += String(randomInt(10));
  return out;
}
