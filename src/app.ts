import type { FastifyInstance } from "fastify";
import { type Clock, systemClock } from "./core/clock.js";
import { CommandRunner } from "./core/commands.js";
import type { Config } from "./config.js";
import { AuditService } from "./modules/audit/service.js";
import { ApiKeyAuthenticator, bootstrapOperator, type IssuedKey } from "./modules/auth/service.js";
import { AccountService } from "./modules/accounts/service.js";
import { AuditReader } from "./modules/audit/reader.js";
import { ApiKeyService } from "./modules/auth/apikeys.js";
import { createRateLimiter, type RateLimiter } from "./modules/ratelimit/service.js";
import { CredentialService, DEFAULT_CREDENTIAL_OPTIONS } from "./modules/credentials/service.js";
import { CustomerService } from "./modules/customers/service.js";
import { ExportService } from "./modules/exports/service.js";
import { IdempotencyService } from "./modules/idempotency/service.js";
import { LifecycleService } from "./modules/lifecycle/service.js";
import { MailService } from "./modules/mail/service.js";
import { PackageService, QuotaService } from "./modules/messaging/service.js";
import { SystemService } from "./modules/system/service.js";
import { VerificationService } from "./modules/verification/service.js";
import { buildHttpServer } from "./protocols/http.js";
import { RequestAuthenticator } from "./protocols/shared/auth.js";
import { openStorage, type Storage } from "./storage/db.js";
import { migrateToLatest } from "./storage/migrate.js";

/** Every domain service, wired once. Protocols receive this and nothing below it. */
export interface Services {
  /** Runs the commands of src/modules/<name>/commands.ts; protocols bind to these. */
  commands: CommandRunner<DomainServices>;
  customers: CustomerService;
  credentials: CredentialService;
  mail: MailService;
  lifecycle: LifecycleService;
  verification: VerificationService;
  exports: ExportService;
  audit: AuditService;
  apiKeys: ApiKeyAuthenticator;
  keys: ApiKeyService;
  accounts: AccountService;
  auditReader: AuditReader;
  rateLimiter: RateLimiter;
  requestAuth: RequestAuthenticator;
  idempotency: IdempotencyService;
  system: SystemService;
  packages: PackageService;
  quotas: QuotaService;
}

/** What a command's `run` receives. */
export type DomainServices = Omit<Services, "commands">;

export interface App {
  config: Config;
  storage: Storage;
  services: Services;
  http: FastifyInstance;
  /** The operator key created on this start, if one was (printed once by main). */
  bootstrapKey: IssuedKey | null;
  close(): Promise<void>;
}

export const VERSION = "0.1.0";
/** Requests with unknown, revoked or expired credentials one address may send per minute. */
const AUTH_FAILURES_PER_MINUTE = 60;

/** The composition root: storage -> repositories -> services -> protocols, wired by hand. */
export async function createApp(config: Config, clock: Clock = systemClock): Promise<App> {
  const storage = openStorage({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPool });
  try {
    await migrateToLatest(storage);
    const { created } = await bootstrapOperator(storage, clock, config.bootstrapKey);
    const audit = new AuditService(storage.dialect, clock, { secretKey: config.secretKey });
    const apiKeys = new ApiKeyAuthenticator(storage, clock);
    const customers = new CustomerService(storage, audit, clock, { loginPrefix: config.loginPrefix });
    const keys = new ApiKeyService(storage, audit, clock, apiKeys);
    customers.onPurge((trx, id) => keys.purgeCustomerKeys(trx, id));
    // A purged customer's personal data leaves the audit log too (its content key is destroyed).
    customers.onPurge((trx, id) => audit.forgetSubject(trx, id));
    // Verified keys are cached briefly; a status or api_allowed change must not wait for the TTL.
    customers.onAccessChange(() => apiKeys.invalidate());
    const rateLimiter = createRateLimiter({ limit: config.rateLimit ?? 600, redisUrl: config.redisUrl, clock });
    // Requests with bad credentials per client address and minute (off with CUSTOS_RATE_LIMIT=0).
    const authFailureLimiter = createRateLimiter({ limit: config.rateLimit === 0 ? 0 : AUTH_FAILURES_PER_MINUTE, redisUrl: config.redisUrl, clock, prefix: "custos:authfail:" });
    const verification = new VerificationService(storage, customers, audit, clock);
    const exports = new ExportService(storage, customers, audit, clock, { dataDir: config.dataDir });
    exports.registerSection("contact_verification", (id) => verification.exportSection(id));
    // The mail log transport reports through the HTTP server's logger once that exists.
    const mailLog: { write: (line: Record<string, unknown>) => void } = { write: () => {} };
    const mail = new MailService({ smtpUrl: config.smtpUrl, from: config.mailFrom ?? "Custos <no-reply@localhost>", log: (line) => mailLog.write(line) });
    const credentials = new CredentialService(storage, audit, clock, mail, customers, {
      ...DEFAULT_CREDENTIAL_OPTIONS,
      sessionIdleSeconds: config.sessionIdleSeconds ?? DEFAULT_CREDENTIAL_OPTIONS.sessionIdleSeconds,
      sessionAbsoluteSeconds: config.sessionMaxSeconds ?? DEFAULT_CREDENTIAL_OPTIONS.sessionAbsoluteSeconds,
      lockoutThreshold: config.loginMaxFailures ?? DEFAULT_CREDENTIAL_OPTIONS.lockoutThreshold,
      lockoutWindowSeconds: config.loginFailureWindowSeconds ?? DEFAULT_CREDENTIAL_OPTIONS.lockoutWindowSeconds,
      secretKey: config.secretKey,
    });
    const domain: DomainServices = {
      customers,
      credentials,
      mail,
      lifecycle: new LifecycleService(storage, audit, clock, customers),
      verification,
      exports,
      audit,
      apiKeys,
      keys,
      accounts: new AccountService(storage, audit, clock),
      auditReader: new AuditReader(storage, audit),
      rateLimiter,
      requestAuth: new RequestAuthenticator(apiKeys, credentials, rateLimiter, authFailureLimiter),
      idempotency: new IdempotencyService(storage, clock),
      system: new SystemService(storage, clock.now()),
      packages: new PackageService(storage, audit, clock, customers),
      quotas: new QuotaService(storage, audit, clock, customers),
    };
    const services: Services = { ...domain, commands: new CommandRunner(storage, domain) };
    await services.exports.resumePending();
    const http = await buildHttpServer(services, { logLevel: config.logLevel, bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, version: VERSION, corsOrigins: config.corsOrigins ?? [] });
    mailLog.write = (line) => http.log.info(line, String(line.msg ?? "mail"));
    return {
      config,
      storage,
      services,
      http,
      bootstrapKey: created,
      async close() {
        await http.close();
        mail.close();
        await services.exports.close();
        await rateLimiter.close();
        await authFailureLimiter.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
