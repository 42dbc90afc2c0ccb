import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { Services } from "../../app.js";
import type { Context } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { OperationDef } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import { AccountCommands } from "../../modules/accounts/commands.js";
import { AccountOps } from "../../modules/accounts/operations.js";
import { AuditOps } from "../../modules/audit/operations.js";
import { AuditCommands } from "../../modules/audit/commands.js";
import { ApiKeyCommands } from "../../modules/auth/commands.js";
import { ApiKeyOps } from "../../modules/auth/operations.js";
import { CredentialCommands } from "../../modules/credentials/commands.js";
import { CredentialOps } from "../../modules/credentials/operations.js";
import { CustomerCommands } from "../../modules/customers/commands.js";
import { CustomerOps } from "../../modules/customers/operations.js";
import type { RawFilter } from "../../modules/customers/schema.js";
import { WebhookCommands } from "../../modules/events/commands.js";
import { WebhookOps } from "../../modules/events/operations.js";
import { LifecycleCommands, TransitionCommands } from "../../modules/lifecycle/commands.js";
import { LifecycleOps } from "../../modules/lifecycle/operations.js";
import { LIFECYCLE_ACTIONS, type LifecycleAction, TRANSITIONS } from "../../modules/lifecycle/service.js";
import { PackageCommands } from "../../modules/messaging/commands.js";
import { NoticeCommands } from "../../modules/notices/commands.js";
import { FtpCommands } from "../../modules/ftp/commands.js";
import { PlanCommands } from "../../modules/plans/commands.js";
import { PlanOps } from "../../modules/plans/operations.js";
import { NoticeOps } from "../../modules/notices/operations.js";
import { PackageOps } from "../../modules/messaging/operations.js";
import { SiteOps } from "../../modules/sites/operations.js";
import { FtpOps } from "../../modules/ftp/operations.js";
import { ProvisioningOps } from "../../modules/provisioning/operations.js";
import { PROVISIONED_KINDS } from "../../modules/provisioning/status.js";
import { SiteCommands } from "../../modules/sites/commands.js";

/**
 * The console pages' JSON API under /console/api, as a table: each route names the operations it
 * runs (the coverage matrix reads them from here), decodes its input, makes one call to a domain
 * command with the session's Context, and returns the answer. Authorization, tenancy and
 * validation are the domain's; an answer of undefined is sent as 204.
 */
export interface ConsoleRoute {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  operations: readonly OperationDef[];
  handler(call: { ctx: Context; request: FastifyRequest }): Promise<unknown>;
}

const listQuery = z
  .object({
    sort: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    starting_after: z.string().max(1000).optional(),
    ending_before: z.string().max(1000).optional(),
  })
  .catchall(z.union([z.string().max(320), z.array(z.string().max(320)).max(100)]));
const POSITIVE = "must be a positive integer";
const objectId = z.coerce.number({ error: POSITIVE }).int(POSITIVE).positive(POSITIVE).max(Number.MAX_SAFE_INTEGER, "is too large");
const idParam = z.object({ id: objectId });
const deliveryParams = idParam.extend({ delivery: objectId });
const statusParams = idParam.extend({ kind: z.enum(PROVISIONED_KINDS) });
const planPage = z.strictObject({ starting_after: z.coerce.number().int().positive().optional() });
const auditPage = z.strictObject({ starting_after: z.string().max(20).optional() });
const noticePage = z.strictObject({ starting_after: z.coerce.number().int().positive().optional() });

const FILTER_KEY = /^filter\[([a-z_]+)\](?:\[([a-z]+)\])?$/;

function decodeFilters(query: Record<string, unknown>): RawFilter[] {
  const out: RawFilter[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (["sort", "limit", "starting_after", "ending_before"].includes(key)) continue;
    const m = FILTER_KEY.exec(key);
    if (!m) throw new AppError("validation_failed", `Unknown query parameter "${key}"`, { issues: [{ field: `query.${key}`, code: "not_allowed", message: "is not a known parameter" }] });
    out.push({ field: m[1] ?? "", op: m[2] ?? "eq", value: value as string | string[] });
  }
  return out;
}

/** The transitions, each under its own operation (the coverage matrix reads them). */
const TRANSITION_OPS = LIFECYCLE_ACTIONS.map((action) => TRANSITIONS[action].op);

const ref = (request: FastifyRequest) => (request.params as { ref: string }).ref;
const id = (request: FastifyRequest) => parseOrThrow(idParam, request.params, "path").id;
const body = (request: FastifyRequest) => request.body ?? {};
/** The version the page read (If-Match: "v<version>"): a write over a newer one is refused. */
const expectedVersion = (request: FastifyRequest): number | undefined => {
  const match = /^"v(\d+)"$/.exec(String(request.headers["if-match"] ?? ""));
  return match ? Number(match[1]) : undefined;
};

export function consoleRoutes(services: Services): ConsoleRoute[] {
  const run = () => services.commands;
  const route = (method: ConsoleRoute["method"], url: string, operations: OperationDef | readonly OperationDef[], handler: ConsoleRoute["handler"]): ConsoleRoute => ({
    method,
    url,
    operations: Array.isArray(operations) ? operations : [operations as OperationDef],
    handler,
  });

  return [
    // ---- customers -------------------------------------------------------------------------
    route("GET", "/console/api/customers", CustomerOps.list, async ({ ctx, request }) => {
      const q = parseOrThrow(listQuery, request.query ?? {}, "query");
      const raw = {
        filters: decodeFilters(request.query as Record<string, unknown>),
        sort: q.sort,
        limit: q.limit,
        startingAfter: q.starting_after,
        endingBefore: q.ending_before,
        includeTotal: true,
        includeDeleted: false,
      };
      return run().execute(CustomerCommands.list, ctx, raw, undefined);
    }),
    route("GET", "/console/api/customers/:ref", CustomerOps.get, ({ ctx, request }) => run().execute(CustomerCommands.get, ctx, {}, { ref: ref(request) })),
    // Also how a hosting plan is applied: resources.hosting_plan_id copies the plan's values.
    route("PATCH", "/console/api/customers/:ref", CustomerOps.update, ({ ctx, request }) => {
      const version = expectedVersion(request);
      return run().execute(CustomerCommands.update, ctx, body(request), version === undefined ? { ref: ref(request) } : { ref: ref(request), expectedVersion: version });
    }),
    route("DELETE", "/console/api/customers/:ref", CustomerOps.delete, ({ ctx, request }) => run().execute(CustomerCommands.delete, ctx, {}, { ref: ref(request) })),
    route("POST", "/console/api/customers/:ref/anonymise", LifecycleOps.anonymise, ({ ctx, request }) => run().execute(LifecycleCommands.anonymise, ctx, {}, { ref: ref(request) })),
    route("GET", "/console/api/customers/:ref/lifecycle", LifecycleOps.read, ({ ctx, request }) => run().execute(LifecycleCommands.read, ctx, {}, { ref: ref(request) })),
    route("POST", "/console/api/customers/:ref/lifecycle/:action", TRANSITION_OPS, ({ ctx, request }) => {
      const action = (request.params as { action: string }).action;
      if (!(LIFECYCLE_ACTIONS as readonly string[]).includes(action)) throw new AppError("not_found", `No life-cycle action "${action}"`);
      return run().execute(TransitionCommands[action as LifecycleAction], ctx, body(request), { ref: ref(request) });
    }),
    route("GET", "/console/api/customers/:ref/credentials", CredentialOps.status, ({ ctx, request }) => run().execute(CredentialCommands.status, ctx, {}, { ref: ref(request) })),
    route("GET", "/console/api/customers/:ref/keys", [ApiKeyOps.list, ApiKeyOps.aclList], ({ ctx, request }) => run().execute(ApiKeyCommands.listForCustomer, ctx, {}, { ref: ref(request) })),
    route("GET", "/console/api/customers/:ref/audit", AuditOps.list, ({ ctx, request }) => {
      const q = parseOrThrow(auditPage, request.query ?? {}, "query");
      return run().execute(AuditCommands.customerTrail, ctx, q, { ref: ref(request) });
    }),
    route("GET", "/console/api/customers/:ref/notices", NoticeOps.list, ({ ctx, request }) => {
      const q = parseOrThrow(noticePage, request.query ?? {}, "query");
      return run().execute(NoticeCommands.listNotices, ctx, { limit: 100, ...q }, { ref: ref(request) });
    }),
    route("GET", "/console/api/resellers", AccountOps.listResellers, ({ ctx }) => run().execute(AccountCommands.listResellers, ctx, { limit: 100 }, undefined)),

    // ---- hosting plans ---------------------------------------------------------------------
    route("GET", "/console/api/plans", PlanOps.list, ({ ctx, request }) => {
      const q = parseOrThrow(planPage, request.query ?? {}, "query");
      return run().execute(PlanCommands.list, ctx, { limit: 100, ...(q.starting_after === undefined ? {} : { startingAfter: q.starting_after }) }, undefined);
    }),
    route("POST", "/console/api/plans", PlanOps.create, ({ ctx, request }) => run().execute(PlanCommands.create, ctx, body(request), undefined)),
    route("GET", "/console/api/plans/:id", PlanOps.get, ({ ctx, request }) => run().execute(PlanCommands.get, ctx, {}, { ref: id(request) })),
    route("PATCH", "/console/api/plans/:id", PlanOps.update, ({ ctx, request }) => run().execute(PlanCommands.update, ctx, body(request), { ref: id(request) })),
    route("DELETE", "/console/api/plans/:id", PlanOps.delete, ({ ctx, request }) => run().execute(PlanCommands.delete, ctx, {}, { ref: id(request) })),

    // ---- message packages ------------------------------------------------------------------
    route("GET", "/console/api/packages", PackageOps.list, ({ ctx, request }) => run().execute(PackageCommands.list, ctx, request.query ?? {}, undefined)),
    route("POST", "/console/api/packages", PackageOps.create, ({ ctx, request }) => run().execute(PackageCommands.create, ctx, body(request), undefined)),
    route("GET", "/console/api/packages/:id", PackageOps.get, ({ ctx, request }) => run().execute(PackageCommands.get, ctx, {}, { id: id(request) })),
    route("PATCH", "/console/api/packages/:id", PackageOps.update, ({ ctx, request }) => run().execute(PackageCommands.update, ctx, body(request), { id: id(request) })),
    route("POST", "/console/api/packages/:id/archive", PackageOps.archive, ({ ctx, request }) => run().execute(PackageCommands.archive, ctx, {}, { id: id(request) })),

    // ---- notices ---------------------------------------------------------------------------
    route("POST", "/console/api/notices", NoticeOps.create, ({ ctx, request }) => run().execute(NoticeCommands.create, ctx, body(request), undefined)),
    route("GET", "/console/api/notices/:id", NoticeOps.get, ({ ctx, request }) => run().execute(NoticeCommands.get, ctx, {}, { id: id(request) })),
    route("PATCH", "/console/api/notices/:id", NoticeOps.update, ({ ctx, request }) => {
      const version = expectedVersion(request);
      return run().execute(NoticeCommands.update, ctx, body(request), version === undefined ? { id: id(request) } : { id: id(request), expectedVersion: version });
    }),
    route("DELETE", "/console/api/notices/:id", NoticeOps.delete, async ({ ctx, request }) => {
      await run().execute(NoticeCommands.delete, ctx, {}, { id: id(request) });
      return undefined;
    }),

    // ---- provisioning: a customer's sites and FTP users, and the status reports operators make --
    route("GET", "/console/api/customers/:ref/sites", SiteOps.list, ({ ctx, request }) => run().execute(SiteCommands.list, ctx, { limit: 100 }, { ref: ref(request) })),
    route("GET", "/console/api/customers/:ref/ftp-users", FtpOps.list, ({ ctx, request }) => run().execute(FtpCommands.listFTPUsers, ctx, { limit: 100 }, { ref: ref(request) })),
    route("PUT", "/console/api/provisioning/:kind/:id/status", ProvisioningOps.setStatus, ({ ctx, request }) => {
      const p = parseOrThrow(statusParams, request.params, "path");
      return run().execute(SiteCommands.setStatus, ctx, body(request), { kind: p.kind, id: p.id });
    }),

    // ---- webhook endpoints ------------------------------------------------------------------
    route("GET", "/console/api/webhooks", WebhookOps.list, ({ ctx, request }) => run().execute(WebhookCommands.list, ctx, request.query ?? {}, undefined)),
    route("POST", "/console/api/webhooks", WebhookOps.create, ({ ctx, request }) => run().execute(WebhookCommands.create, ctx, body(request), undefined)),
    route("GET", "/console/api/webhooks/:id", WebhookOps.get, ({ ctx, request }) => run().execute(WebhookCommands.get, ctx, {}, { id: id(request) })),
    route("PATCH", "/console/api/webhooks/:id", WebhookOps.update, ({ ctx, request }) => run().execute(WebhookCommands.update, ctx, body(request), { id: id(request) })),
    route("DELETE", "/console/api/webhooks/:id", WebhookOps.delete, async ({ ctx, request }) => {
      await run().execute(WebhookCommands.delete, ctx, {}, { id: id(request) });
      return undefined;
    }),
    route("POST", "/console/api/webhooks/:id/rotate-secret", WebhookOps.rotateSecret, ({ ctx, request }) => run().execute(WebhookCommands.rotateSecret, ctx, body(request), { id: id(request) })),
    route("POST", "/console/api/webhooks/:id/ping", WebhookOps.ping, ({ ctx, request }) => run().execute(WebhookCommands.ping, ctx, {}, { id: id(request) })),
    route("GET", "/console/api/webhooks/:id/deliveries", WebhookOps.deliveries, ({ ctx, request }) => run().execute(WebhookCommands.deliveries, ctx, request.query ?? {}, { id: id(request) })),
    route("POST", "/console/api/webhooks/:id/deliveries/:delivery/redeliver", WebhookOps.redeliver, ({ ctx, request }) => {
      const p = parseOrThrow(deliveryParams, request.params, "path");
      return run().execute(WebhookCommands.redeliver, ctx, {}, { id: p.id, deliveryId: p.delivery });
    }),
  ];
}
