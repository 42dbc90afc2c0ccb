import { createRequire } from "node:module";
import type { Redis } from "ioredis";

// Loaded only when Redis is configured: a process that does not use it should not carry it.
const requireOptional = createRequire(import.meta.url);
import type { Clock } from "../../core/clock.js";
import { AppError } from "../../core/errors.js";

/** Where a caller stands in its current window; protocols turn it into headers. */
export interface RateState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface RateLimiter {
  /** Counts one request for `subject`; throws rate_limited (with retryAfter) above the limit. */
  hit(subject: string): Promise<RateState>;
  /**
   * The same count without a promise, for limiters that keep it in this process (the hot path
   * uses it when present); throws rate_limited like `hit`.
   */
  hitNow?(subject: string): RateState;
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;

/** rate_limited, carrying the standing so protocols can still report it. */
export class RateLimitExceeded extends AppError {
  constructor(readonly state: RateState) {
    super("rate_limited", `Rate limit of ${state.limit} requests per minute exceeded; retry in ${state.resetSeconds} s`, { retryAfter: state.resetSeconds });
  }
}

const over = (state: RateState): AppError => new RateLimitExceeded(state);

/**
 * Fixed one-minute windows per subject, in this process's memory. Cheap; fine for one process.
 * Old windows are dropped as the clock moves on.
 */
export class MemoryRateLimiter implements RateLimiter {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
  ) {}

  async hit(subject: string): Promise<RateState> {
    return this.hitNow(subject);
  }

  hitNow(subject: string): RateState {
    const now = this.clock.now().getTime();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const n = (this.counts.get(subject) ?? 0) + 1;
    this.counts.set(subject, n);
    const state = { limit: this.limit, remaining: Math.max(0, this.limit - n), resetSeconds: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000)) };
    if (n > this.limit) throw over(state);
    return state;
  }

  async close(): Promise<void> {}
}

// Counts and sets the expiry in one round trip, atomically, so concurrent processes agree.
const HIT_SCRIPT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * The same fixed windows kept in Redis, so every Custos process sharing it shares the limit.
 * If Redis cannot be reached the limiter falls back to counting in memory rather than refusing
 * every request; the log says so.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly fallback: MemoryRateLimiter;

  constructor(
    url: string,
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly prefix = "custos:rl:",
  ) {
    const { Redis: RedisClient } = requireOptional("ioredis") as typeof import("ioredis");
    this.redis = new RedisClient(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2000 });
    this.redis.on("error", () => {});
    this.fallback = new MemoryRateLimiter(limit, clock);
  }

  async hit(subject: string): Promise<RateState> {
    const now = this.clock.now().getTime();
    const window = Math.floor(now / WINDOW_MS);
    let n: number;
    try {
      n = Number(await this.redis.eval(HIT_SCRIPT, 1, `${this.prefix}${window}:${subject}`, String(WINDOW_MS + 5_000)));
    } catch (error) {
      this.onError(error);
      return this.fallback.hit(subject);
    }
    const state = { limit: this.limit, remaining: Math.max(0, this.limit - n), resetSeconds: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000)) };
    if (n > this.limit) throw over(state);
    return state;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createRateLimiter(options: { limit: number; redisUrl: string | undefined; clock: Clock; onError?: (error: unknown) => void; prefix?: string }): RateLimiter {
  if (options.limit <= 0) return unlimited;
  if (options.redisUrl) return new RedisRateLimiter(options.redisUrl, options.limit, options.clock, options.onError, options.prefix);
  return new MemoryRateLimiter(options.limit, options.clock);
}

/** CUSTOS_RATE_LIMIT=0: no limit. */
const NO_LIMIT: RateState = Object.freeze({ limit: 0, remaining: 0, resetSeconds: 0 });
export const unlimited: RateLimiter = {
  async hit() {
    return NO_LIMIT;
  },
  hitNow() {
    return NO_LIMIT;
  },
  async close() {},
};
