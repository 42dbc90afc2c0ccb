import type { FastifyInstance } from "fastify";
import { type Clock, systemClock } from "./core/clock.js";
import { CommandRunner, undeclaredErrorHook } from "./core/commands.js";
import type { Config } from "./config.js";
import { AuditService } from "./modules/audit/service.js";
import { ApiKeyAuthenticator, bootstrapOperator, type IssuedKey } from "./modules/auth/service.js";
import { AccountService } from "./modules/accounts/service.js";
import { AuditReader } from "./modules/audit/reader.js";
import { CheckpointSigner } from "./modules/audit/checkpoints.js";
import { AuditSealer, DEFAULT_SEALER_OPTIONS } from "./modules/audit/sealer.js";
import { ApiKeyService } from "./modules/auth/apikeys.js";
import { RequestSigning } from "./modules/auth/signing.js";
import { createRateLimiter, type RateLimiter } from "./modules/ratelimit/service.js";
import { MetricsService } from "./modules/system/metrics.js";
import { CredentialService, DEFAULT_CREDENTIAL_OPTIONS } from "./modules/credentials/service.js";
import { AccountCredentialService } from "./modules/credentials/accounts.js";
import { CustomerImportService } from "./modules/customers/import.js";
import { CustomerService } from "./modules/customers/service.js";
import { ExportService } from "./modules/exports/service.js";
import { IdempotencyService } from "./modules/idempotency/service.js";
import { LifecycleService } from "./modules/lifecycle/service.js";
import { MailService } from "./modules/mail/service.js";
import { PackageService, QuotaService } from "./modules/messaging/service.js";
import { SystemService } from "./modules/system/service.js";
import { SecretBox } from "./modules/credentials/secrets.js";
import { DEFAULT_DISPATCHER_OPTIONS, Dispatcher } from "./modules/events/dispatcher.js";
import { Outbox } from "./modules/events/outbox.js";
import { EventService } from "./modules/events/service.js";
import { TargetPolicy } from "./modules/events/targets.js";
import { LogSmsSender, NoticeDelivery, type SmsSender } from "./modules/events/notices.js";
import { WebhookSender } from "./modules/events/sender.js";
import { contactDirectory } from "./modules/events/directory.js";
import { WebhookService } from "./modules/events/webhooks.js";
import { VerificationService } from "./modules/verification/service.js";
import { createHostingServices, type HostingServices } from "./modules/provisioning/hosting.js";
import { BudgetService } from "./modules/budgets/service.js";
import { PlanService } from "./modules/plans/service.js";
import { UsageService } from "./modules/usage/service.js";
import { CustomerDirectory } from "./modules/usage/directory.js";
import { PanelAccountService } from "./modules/panel/service.js";
import { apiSessionProtocols, buildHttpServer } from "./protocols/http.js";
import { type StackableAmqp, startStackableAmqp } from "./protocols/stackable/amqp.js";
import { RequestAuthenticator } from "./protocols/shared/auth.js";
import { openStorage, type Storage } from "./storage/db.js";
import { migrateToLatest } from "./storage/migrate.js";

/** Every domain service, wired once. Protocols receive this and nothing below it. */
export interface Services {
  /** Runs the commands of src/modules/<name>/commands.ts; protocols bind to these. */
  commands: CommandRunner<DomainServices>;
  customers: CustomerService;
  customerImport: CustomerImportService;
  credentials: CredentialService;
  /** Password logins and sessions of operator and reseller accounts. */
  accountLogins: AccountCredentialService;
  mail: MailService;
  lifecycle: LifecycleService;
  verification: VerificationService;
  exports: ExportService;
  audit: AuditService;
  apiKeys: ApiKeyAuthenticator;
  keys: ApiKeyService;
  /** HMAC signing secrets of API keys and the replay store (Stackable signed requests). */
  signing: RequestSigning;
  accounts: AccountService;
  auditReader: AuditReader;
  /** Chains audit entries after commit and writes signed checkpoints (issue 16). */
  auditSealer: AuditSealer;
  rateLimiter: RateLimiter;
  requestAuth: RequestAuthenticator;
  idempotency: IdempotencyService;
  system: SystemService;
  /** Settings, IP addresses, FTP users, sites, bandwidth, notices, contacts (Stackable Customer). */
  hosting: HostingServices;
  events: EventService;
  webhooks: WebhookService;
  dispatcher: Dispatcher;
  noticeDelivery: NoticeDelivery;
  plans: PlanService;
  budgets: BudgetService;
  usage: UsageService;
  directory: CustomerDirectory;
  panel: PanelAccountService;
  packages: PackageService;
  quotas: QuotaService;
}

/** Parts a deployment may replace (an SMS provider); everything else is built from Config. */
export interface AppParts {
  /** Sends notice SMS; default: the log sender (nothing leaves the process). */
  smsSender?: SmsSender;
}

/** What a command's `run` receives. */
export type DomainServices = Omit<Services, "commands">;

export interface App {
  config: Config;
  storage: Storage;
  services: Services;
  http: FastifyInstance;
  /** Prometheus metrics of this process (served by `http` with CUSTOS_METRICS_TOKEN, or by main on CUSTOS_METRICS_PORT). */
  metrics: MetricsService;
  /** The operator key created on this start, if one was (printed once by main). */
  bootstrapKey: IssuedKey | null;
  close(): Promise<void>;
}

export const VERSION = "0.1.0";
/** Requests with unknown, revoked or expired credentials one address may send per minute. */
const AUTH_FAILURES_PER_MINUTE = 60;

/** The composition root: storage -> repositories -> services -> protocols, wired by hand. */
export async function createApp(config: Config, clock: Clock = systemClock, parts: AppParts = {}): Promise<App> {
  const storage = openStorage({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPool });
  try {
    await migrateToLatest(storage);
    const { created } = await bootstrapOperator(storage, clock, config.bootstrapKey);
    const audit = new AuditService(storage.dialect, clock, { secretKey: config.secretKey, afterCommit: (fn) => storage.afterCommit(fn) });
    // Mutations append entries unsealed; one sealer at a time chains them shortly after commit.
    const auditConfig = config.audit ?? {};
    const checkpointSigner = CheckpointSigner.fromConfig(auditConfig.signingKey, config.secretKey);
    const auditSealer = new AuditSealer(storage, clock, checkpointSigner, { ...DEFAULT_SEALER_OPTIONS, checkpointIntervalMs: (auditConfig.checkpointSeconds ?? 60) * 1000 });
    if (auditConfig.seal ?? true) audit.onAppended = () => auditSealer.nudge();
    // Every audited mutation that means an event writes it in its own transaction (the outbox).
    const outbox = new Outbox((fn) => storage.afterCommit(fn));
    audit.tap(outbox.fromAudit);
    const apiKeys = new ApiKeyAuthenticator(storage, clock);
    const customers = new CustomerService(storage, audit, clock, { loginPrefix: config.loginPrefix });
    const signing = new RequestSigning(storage, clock, config.secretKey, config.signatureWindowSeconds ?? 300);
    const keys = new ApiKeyService(storage, audit, clock, apiKeys, signing);
    customers.onPurge((trx, id) => keys.purgeCustomerKeys(trx, id));
    // A purged customer's personal data leaves the audit log too (its content key is destroyed).
    customers.onPurge((trx, id) => audit.forgetSubject(trx, id));
    // Verified keys are cached briefly; a status or api_allowed change must not wait for the TTL.
    customers.onAccessChange(() => apiKeys.invalidate());
    // A hosting plan's values are filled in before a customer is written; the reseller's budget
    // is booked after, in the same transaction, so a refused budget leaves nothing written.
    const plans = new PlanService(storage, audit, clock);
    const budgets = new BudgetService(storage, audit, clock);
    const usage = new UsageService(storage, audit, clock, customers);
    customers.onWrite(plans.customerHook());
    customers.onWrite(budgets.customerHook());
    customers.onPurge((trx, id) => usage.purgeCustomer(trx, id));
    const idempotency = new IdempotencyService(storage, clock);
    const metrics = new MetricsService({ storage, idempotencyKeys: () => idempotency.count(), auditBacklog: () => auditSealer.backlog() });
    const rateLimiter = createRateLimiter({ limit: config.rateLimit ?? 600, redisUrl: config.redisUrl, clock });
    // Requests with bad credentials per client address and minute (off with CUSTOS_RATE_LIMIT=0).
    const authFailureLimiter = createRateLimiter({ limit: config.rateLimit === 0 ? 0 : AUTH_FAILURES_PER_MINUTE, redisUrl: config.redisUrl, clock, prefix: "custos:authfail:" });
    const verification = new VerificationService(storage, customers, audit, clock);
    const exports = new ExportService(storage, customers, audit, clock, { dataDir: config.dataDir });
    exports.registerSection("contact_verification", (id) => verification.exportSection(id));
    // The mail log transport reports through the HTTP server's logger once that exists.
    const mailLog: { write: (line: Record<string, unknown>) => void } = { write: () => {} };
    const mail = new MailService({ smtpUrl: config.smtpUrl, from: config.mailFrom ?? "Custos <no-reply@localhost>", log: (line) => mailLog.write(line) });
    const credentialOptions = {
      ...DEFAULT_CREDENTIAL_OPTIONS,
      sessionIdleSeconds: config.sessionIdleSeconds ?? DEFAULT_CREDENTIAL_OPTIONS.sessionIdleSeconds,
      sessionAbsoluteSeconds: config.sessionMaxSeconds ?? DEFAULT_CREDENTIAL_OPTIONS.sessionAbsoluteSeconds,
      lockoutThreshold: config.loginMaxFailures ?? DEFAULT_CREDENTIAL_OPTIONS.lockoutThreshold,
      lockoutWindowSeconds: config.loginFailureWindowSeconds ?? DEFAULT_CREDENTIAL_OPTIONS.lockoutWindowSeconds,
      secretKey: config.secretKey,
      apiSessionProtocols: apiSessionProtocols(),
    };
    const credentials = new CredentialService(storage, audit, clock, mail, customers, credentialOptions);
    const accountLogins = new AccountCredentialService(storage, audit, clock, credentialOptions);
    const ev = config.events ?? {};
    const targets = new TargetPolicy(ev.allowPrivateTargets ?? false);
    const webhookBox = new SecretBox(config.secretKey);
    const webhooks = new WebhookService(storage, audit, outbox, clock, webhookBox, targets);
    const dispatcherLog: { write: (level: "info" | "warn" | "error", line: Record<string, unknown>, msg: string) => void } = { write: () => {} };
    const dispatcherOptions = {
      ...DEFAULT_DISPATCHER_OPTIONS,
      ...(ev.pollMs !== undefined ? { pollMs: ev.pollMs } : {}),
      ...(ev.leaseSeconds !== undefined ? { leaseSeconds: ev.leaseSeconds } : {}),
      ...(ev.retryBaseMs !== undefined ? { retryBaseMs: ev.retryBaseMs } : {}),
      ...(ev.retryWindowSeconds !== undefined ? { retryWindowSeconds: ev.retryWindowSeconds } : {}),
      ...(ev.timeoutMs !== undefined ? { timeoutMs: ev.timeoutMs } : {}),
      log: (level: "info" | "warn" | "error", line: Record<string, unknown>, msg: string) => dispatcherLog.write(level, line, msg),
    };
    const sender = new WebhookSender(targets, dispatcherOptions.timeoutMs);
    const dispatcher = new Dispatcher(storage, audit, clock, webhookBox, targets, mail, dispatcherOptions, sender);
    webhooks.onQueued = () => dispatcher.nudge();
    outbox.onCommitted = () => {
      dispatcher.nudge();
      // New events get their feed position from the sealer.
      if (auditConfig.seal ?? true) auditSealer.nudge();
    };
    const sms = parts.smsSender ?? new LogSmsSender((line) => dispatcherLog.write("info", line, String(line.msg ?? "sms")));
    const noticeDelivery = new NoticeDelivery(storage, audit, clock, webhookBox, mail, sms, sender, dispatcherOptions, dispatcherOptions.log);
    // Subscriptions live in the contacts module's tables (issue 14).
    noticeDelivery.directory = contactDirectory;
    dispatcher.notices = noticeDelivery;
    const lifecycle = new LifecycleService(storage, audit, clock, customers);
    const directory = new CustomerDirectory(storage, customers);
    const domain: DomainServices = {
      customers,
      customerImport: new CustomerImportService(storage, outbox, clock, customers),
      credentials,
      accountLogins,
      mail,
      lifecycle,
      verification,
      exports,
      audit,
      apiKeys,
      keys,
      accounts: new AccountService(storage, audit, clock),
      auditReader: new AuditReader(storage, audit, checkpointSigner),
      auditSealer,
      rateLimiter,
      requestAuth: new RequestAuthenticator(apiKeys, credentials, rateLimiter, authFailureLimiter, signing, accountLogins, (limiter) => metrics.refused(limiter)),
      signing,
      idempotency,
      system: new SystemService(storage, clock.now()),
      // The feed pages by the position the sealer gives events in commit order; it seals first.
      events: new EventService(storage, () => auditSealer.drain(1000)),
      webhooks,
      dispatcher,
      noticeDelivery,
      hosting: createHostingServices(storage, audit, clock, customers),
      plans,
      budgets,
      usage,
      directory,
      panel: new PanelAccountService(storage, customers, credentials, lifecycle, mail, directory),
      packages: new PackageService(storage, audit, clock, customers),
      quotas: new QuotaService(storage, audit, clock, customers),
    };
    const undeclaredLog: { write: (message: string) => void } = { write: () => {} };
    const undeclared = undeclaredErrorHook(config.undeclaredErrors ?? (process.env.NODE_ENV === "production" ? "log" : "fail"), (message) => undeclaredLog.write(message));
    const services: Services = { ...domain, commands: new CommandRunner(storage, domain, undeclared) };
    await services.exports.resumePending();
    const http = await buildHttpServer(services, { logLevel: config.logLevel, bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, version: VERSION, corsOrigins: config.corsOrigins ?? [], metrics, metricsToken: config.metricsToken });
    mailLog.write = (line) => http.log.info(line, String(line.msg ?? "mail"));
    undeclaredLog.write = (message) => http.log.warn(message);
    // Stackable Thrift over AMQP only when a broker is configured: without it nothing connects.
    let amqp: StackableAmqp | null = null;
    if (config.amqpUrl) {
      const withSignature = services.requestAuth.withSignature.bind(services.requestAuth);
      amqp = await startStackableAmqp({ commands: services.commands, withSignature }, { url: config.amqpUrl, queue: config.amqpQueue ?? "Customer", log: http.log }).catch(async (error: unknown) => {
        await http.close();
        throw error;
      });
    }
    dispatcherLog.write = (level, line, msg) => http.log[level](line, msg);
    if (ev.dispatch ?? true) dispatcher.start();
    auditSealer.onError = (error) => http.log.warn({ err: error }, "audit sealer round failed; retrying");
    if (!checkpointSigner) http.log.warn("audit checkpoints are not signed: set CUSTOS_AUDIT_SIGNING_KEY (or CUSTOS_SECRET_KEY)");
    if (auditConfig.seal ?? true) auditSealer.start();
    return {
      config,
      storage,
      services,
      http,
      metrics,
      bootstrapKey: created,
      async close() {
        await amqp?.close();
        await http.close();
        await dispatcher.stop();
        // What this process wrote is chained before it goes, with a final checkpoint.
        if (auditConfig.seal ?? true) await auditSealer.stop();
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
