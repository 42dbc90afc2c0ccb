import type { Clock } from "../../core/clock.js";
import { AppError } from "../../core/errors.js";
import type { Executor } from "../../storage/db.js";
import { AttemptCounters } from "../ratelimit/attempts.js";

/** Who holds a password: a customer, or an operator or reseller account. */
export type LoginSubject = { kind: "customer"; id: number } | { kind: "account"; id: number };

export interface LoginBudgetOptions {
  lockoutThreshold: number;
  lockoutWindowSeconds: number;
  ipThreshold: number;
  ipWindowSeconds: number;
}

/** Customers keep their counter subject (their id); accounts are told apart by a prefix. */
const subjectKey = (s: LoginSubject): string => (s.kind === "customer" ? String(s.id) : `account:${s.id}`);

/**
 * The password-guessing rules every login follows, whoever logs in: a budget per client address
 * (checked before any hash, successes given back) and a budget of password attempts per subject
 * within the lockout window (the right password too is refused past it; nothing else about the
 * subject changes). Each check counts in the same step (AttemptCounters), so parallel guesses
 * cannot all pass.
 */
export class LoginBudget {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
    private readonly options: LoginBudgetOptions,
  ) {}

  /** Spends one login attempt of the client address; rate_limited past its budget. */
  async admitAddress(ip: string | null): Promise<void> {
    if (!ip) return;
    const r = await new AttemptCounters(this.db).reserve("login-ip", ip, this.options.ipThreshold, this.options.ipWindowSeconds, this.clock.now());
    if (!r.ok) throw new AppError("rate_limited", "Too many login attempts from this address; try again later", { retryAfter: r.retryAfter });
  }

  /** Spends one password attempt of the subject; false when none is left in this window. */
  async spend(subject: LoginSubject): Promise<boolean> {
    const r = await new AttemptCounters(this.db).reserve("login-account", subjectKey(subject), this.options.lockoutThreshold, this.options.lockoutWindowSeconds, this.clock.now());
    return r.ok;
  }

  /** The subject proved its password: its budget starts over. */
  async reset(subject: LoginSubject): Promise<void> {
    await new AttemptCounters(this.db).reset("login-account", subjectKey(subject));
  }

  /** A login succeeded: the subject's budget starts over and the address gets its attempt back. */
  async succeeded(subject: LoginSubject, ip: string | null): Promise<void> {
    await this.reset(subject);
    if (ip) await new AttemptCounters(this.db).refund("login-ip", ip);
  }
}
