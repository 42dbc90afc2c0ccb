import { z } from "zod";

/** Every setting Custos reads, with its default. The README's configuration table mirrors this. */
const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: z.string().optional(),
  CUSTOS_DATA_DIR: z.string().min(1).default("./data"),
  CUSTOS_BOOTSTRAP_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  CUSTOS_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  CUSTOS_LOGIN_PREFIX: z.string().regex(/^[a-z][a-z0-9]{0,9}$/, "must be 1-10 lowercase letters/digits, starting with a letter").default("cust"),
  CUSTOS_BODY_LIMIT: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(256 * 1024),
  CUSTOS_TRUST_PROXY: z.string().optional(),
  CUSTOS_DB_POOL: z.coerce.number().int().min(1).max(200).default(10),
  CUSTOS_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(600),
  CUSTOS_REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL").optional(),
  CUSTOS_SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
  CUSTOS_MAIL_FROM: z.string().min(3).default("Custos <no-reply@localhost>"),
  CUSTOS_SESSION_IDLE_TTL: z.coerce.number().int().min(60).max(30 * 86400).default(3600),
  CUSTOS_SESSION_MAX_TTL: z.coerce.number().int().min(60).max(365 * 86400).default(12 * 3600),
  CUSTOS_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  CUSTOS_LOGIN_FAILURE_WINDOW: z.coerce.number().int().min(1).max(86400).default(900),
  CUSTOS_CORS_ORIGINS: z.string().regex(/^(https?:\/\/[^\s,/]+)(,\s*https?:\/\/[^\s,/]+)*$/, "must be a comma-separated list of origins like https://console.example").optional(),
  CUSTOS_SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  CUSTOS_SIGNATURE_WINDOW: z.coerce.number().int().min(10).max(86400).default(300),
  CUSTOS_AMQP_URL: z.string().regex(/^amqps?:\/\//, "must be an amqp:// or amqps:// URL").optional(),
  CUSTOS_AMQP_QUEUE: z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, "must be a queue name").default("Customer"),
  CUSTOS_EVENTS_DISPATCH: z.enum(["true", "false"]).default("true"),
  CUSTOS_EVENTS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  CUSTOS_WEBHOOK_ALLOW_PRIVATE: z.enum(["true", "false"]).default("false"),
  CUSTOS_WEBHOOK_LEASE: z.coerce.number().int().min(1).max(3600).default(60),
  CUSTOS_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(30_000),
  CUSTOS_WEBHOOK_RETRY_WINDOW: z.coerce.number().int().min(1).max(30 * 86400).default(3 * 86400),
  CUSTOS_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  CUSTOS_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  CUSTOS_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  CUSTOS_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  CUSTOS_UNDECLARED_ERRORS: z.enum(["fail", "log"]).optional(),
  CUSTOS_AUDIT_SIGNING_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  CUSTOS_AUDIT_CHECKPOINT_INTERVAL: z.coerce.number().int().min(1).max(86400).default(60),
});


export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  bootstrapKey: string | undefined;
  logLevel: string;
  loginPrefix: string;
  bodyLimit: number;
  /**
   * false; a number of proxy hops in front of Custos ("true" means 1); or a comma-separated list of
   * trusted proxy addresses/CIDRs. Never "trust everything": the client's own X-Forwarded-For
   * entries would then pick its address.
   */
  trustProxy: boolean | string | number;
  dbPool: number;
  /** Requests per minute per API key (0: no limit); optional so older call sites keep compiling (default 600). */
  rateLimit?: number;
  /** Shared rate-limit counters in Redis; unset: per-process memory. */
  redisUrl?: string | undefined;
  /** Credentials and mail (issue 4); optional so older call sites keep compiling, defaults in app.ts. */
  smtpUrl?: string | undefined;
  mailFrom?: string;
  sessionIdleSeconds?: number;
  sessionMaxSeconds?: number;
  loginMaxFailures?: number;
  loginFailureWindowSeconds?: number;
  secretKey?: string | undefined;
  /** Signed requests (Stackable): accepted clock distance of Signature-Created, seconds (default 300). */
  signatureWindowSeconds?: number;
  /** Stackable Thrift over AMQP: the broker to consume the Customer queue from; unset: no AMQP. */
  amqpUrl?: string | undefined;
  /** The Customer service's request queue (default "Customer"). */
  amqpQueue?: string;
  /** Browser origins allowed by CORS; empty or unset: none (closed). */
  corsOrigins?: string[];
  /**
   * GET /metrics: on the API listener only with `Authorization: Bearer <metricsToken>`; on a
   * listener of its own (metricsPort, metricsHost) without a credential. Neither set: no metrics.
   */
  metricsToken?: string | undefined;
  metricsPort?: number | undefined;
  metricsHost?: string;
  /**
   * A command raising an error code it does not declare: "fail" answers an internal error (the
   * default outside NODE_ENV=production, so tests catch it), "log" logs it and answers the error.
   */
  undeclaredErrors?: "fail" | "log" | undefined;
  /** Events and webhooks (issue 17); optional so older call sites keep compiling, defaults in app.ts. */
  events?: Partial<EventsConfig>;
  /** The audit sealer (issue 16); optional, defaults in app.ts. */
  audit?: Partial<AuditConfig>;
}

export interface AuditConfig {
  /** Seeds the Ed25519 key that signs checkpoints; unset: derived from CUSTOS_SECRET_KEY; neither: unsigned. */
  signingKey: string | undefined;
  /** Seconds between checkpoints while the chain grows. */
  checkpointSeconds: number;
  /** Run the sealer in this process (tests switch it off to see unsealed entries). */
  seal: boolean;
}

export interface EventsConfig {
  /** Run the webhook dispatcher in this process. */
  dispatch: boolean;
  pollMs: number;
  /** Accept http:// and private/loopback webhook targets (development, tests). */
  allowPrivateTargets: boolean;
  leaseSeconds: number;
  retryBaseMs: number;
  retryWindowSeconds: number;
  timeoutMs: number;
}

/**
 * CUSTOS_TRUST_PROXY as Fastify takes it. "true" is one hop: the address the (single) proxy
 * connected from appended to X-Forwarded-For, the right-most entry, not the left-most one the
 * client wrote itself.
 */
function trustProxyOf(tp: string | undefined): boolean | string | number {
  if (tp === undefined || tp === "" || tp === "false") return false;
  if (tp === "true") return 1;
  if (/^\d{1,2}$/.test(tp)) return Number(tp);
  return tp;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = configSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = r.data;
  const tp = c.CUSTOS_TRUST_PROXY;
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL === "" ? undefined : c.DATABASE_URL,
    dataDir: c.CUSTOS_DATA_DIR,
    bootstrapKey: c.CUSTOS_BOOTSTRAP_KEY,
    logLevel: c.CUSTOS_LOG_LEVEL,
    loginPrefix: c.CUSTOS_LOGIN_PREFIX,
    bodyLimit: c.CUSTOS_BODY_LIMIT,
    trustProxy: trustProxyOf(tp),
    dbPool: c.CUSTOS_DB_POOL,
    rateLimit: c.CUSTOS_RATE_LIMIT,
    redisUrl: c.CUSTOS_REDIS_URL === "" ? undefined : c.CUSTOS_REDIS_URL,
    smtpUrl: c.CUSTOS_SMTP_URL === "" ? undefined : c.CUSTOS_SMTP_URL,
    mailFrom: c.CUSTOS_MAIL_FROM,
    sessionIdleSeconds: c.CUSTOS_SESSION_IDLE_TTL,
    sessionMaxSeconds: c.CUSTOS_SESSION_MAX_TTL,
    loginMaxFailures: c.CUSTOS_LOGIN_MAX_FAILURES,
    loginFailureWindowSeconds: c.CUSTOS_LOGIN_FAILURE_WINDOW,
    secretKey: c.CUSTOS_SECRET_KEY,
    signatureWindowSeconds: c.CUSTOS_SIGNATURE_WINDOW,
    amqpUrl: c.CUSTOS_AMQP_URL === "" ? undefined : c.CUSTOS_AMQP_URL,
    amqpQueue: c.CUSTOS_AMQP_QUEUE,
    corsOrigins: c.CUSTOS_CORS_ORIGINS ? c.CUSTOS_CORS_ORIGINS.split(",").map((o) => o.trim()) : [],
    events: {
      dispatch: c.CUSTOS_EVENTS_DISPATCH === "true",
      pollMs: c.CUSTOS_EVENTS_POLL_MS,
      allowPrivateTargets: c.CUSTOS_WEBHOOK_ALLOW_PRIVATE === "true",
      leaseSeconds: c.CUSTOS_WEBHOOK_LEASE,
      retryBaseMs: c.CUSTOS_WEBHOOK_RETRY_BASE_MS,
      retryWindowSeconds: c.CUSTOS_WEBHOOK_RETRY_WINDOW,
      timeoutMs: c.CUSTOS_WEBHOOK_TIMEOUT_MS,
    },
    metricsToken: c.CUSTOS_METRICS_TOKEN,
    metricsPort: c.CUSTOS_METRICS_PORT,
    metricsHost: c.CUSTOS_METRICS_HOST,
    undeclaredErrors: c.CUSTOS_UNDECLARED_ERRORS,
    audit: { signingKey: c.CUSTOS_AUDIT_SIGNING_KEY, checkpointSeconds: c.CUSTOS_AUDIT_CHECKPOINT_INTERVAL },
  };
}
