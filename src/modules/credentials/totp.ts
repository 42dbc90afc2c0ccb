import { randomBytes } from "node:crypto";
import { verify as verifyTotp } from "otplib";
import type { SecretBox } from "./secrets.js";

/**
 * TOTP and backup-code rules shared by every holder of credentials (customers and accounts):
 * one step of clock drift, no replay of an accepted step, ten one-time backup codes.
 */
export const BACKUP_CODE_COUNT = 10;
const BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

export const normaliseBackupCode = (code: string): string => code.toLowerCase().replace(/[^a-z0-9]/g, "");

export function newBackupCode(): string {
  const bytes = randomBytes(10);
  let out = "";
  for (let i = 0; i < 10; i++) out += BACKUP_ALPHABET[(bytes[i] ?? 0) % BACKUP_ALPHABET.length];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

/** The accepted time step of `code` for the sealed secret, or null (wrong, malformed or replayed). */
export async function acceptedTotpStep(box: SecretBox, sealed: string, code: string, lastStep: number, now: Date): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const r = await verifyTotp({ secret: box.open(sealed), token: code, epoch: Math.floor(now.getTime() / 1000), epochTolerance: 30, afterTimeStep: lastStep });
    return r.valid && "timeStep" in r ? r.timeStep : null;
  } catch {
    return null;
  }
}
