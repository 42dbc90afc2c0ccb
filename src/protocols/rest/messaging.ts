import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { type MessagingCommandDeps, PackageCommands, QuotaCommands } from "../../modules/messaging/commands.js";
import { PackageOps, QuotaOps } from "../../modules/messaging/operations.js";
import {
  packageCreateSchema,
  packageListQuerySchema,
  packageListSchema,
  packagePatchSchema,
  packageSchema,
  quotaDebitResultSchema,
  quotaDebitSchema,
  quotasSchema,
} from "../../modules/messaging/schema.js";
import { type AnyRoute, defineRoute } from "./route.js";

const idParams = z.object({ id: z.coerce.number().int().positive().describe("Package id") });
const refParams = z.object({ ref: z.string().min(1).max(320).describe("Any customer key (id, handle, login, e-mail, typed forms)") });

/** Message packages (e-mail, SMS, transactional) and prepaid quotas: the Everlytic domain on REST. */
export function messagingRoutes(commands: CommandRunner<MessagingCommandDeps>): AnyRoute[] {
  const tags = ["Messaging"];
  return [
    defineRoute({
      operation: PackageOps.create,
      method: "POST",
      url: "/v1/message-packages",
      summary: "Create a message package",
      tags,
      body: packageCreateSchema,
      responses: { 201: packageSchema },
      idempotent: true,
      async handler({ ctx, body }) {
        const p = await commands.execute(PackageCommands.create, ctx, body, undefined);
        return { status: 201, body: p, headers: { location: `/v1/message-packages/${p.id}` } };
      },
    }),
    defineRoute({
      operation: PackageOps.list,
      method: "GET",
      url: "/v1/message-packages",
      summary: "List message packages, oldest first",
      tags,
      query: packageListQuerySchema,
      responses: { 200: packageListSchema },
      async handler({ ctx, request }) {
        return { status: 200, body: { object: "list", ...(await commands.execute(PackageCommands.list, ctx, request.query ?? {}, undefined)) } };
      },
    }),
    defineRoute({
      operation: PackageOps.get,
      method: "GET",
      url: "/v1/message-packages/:id",
      summary: "Get a message package",
      tags,
      params: idParams,
      responses: { 200: packageSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(PackageCommands.get, ctx, {}, { id: params.id }) };
      },
    }),
    defineRoute({
      operation: PackageOps.update,
      method: "PATCH",
      url: "/v1/message-packages/:id",
      summary: "Change a message package (its kind is fixed)",
      tags,
      params: idParams,
      body: packagePatchSchema,
      responses: { 200: packageSchema },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(PackageCommands.update, ctx, body, { id: params.id }) };
      },
    }),
    defineRoute({
      operation: PackageOps.archive,
      method: "POST",
      url: "/v1/message-packages/:id/archive",
      summary: "Archive a message package: customers keep it, nobody new can be given it",
      tags,
      params: idParams,
      responses: { 200: packageSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(PackageCommands.archive, ctx, {}, { id: params.id }) };
      },
    }),
    defineRoute({
      operation: QuotaOps.read,
      method: "GET",
      url: "/v1/customers/:ref/quotas",
      summary: "A customer's prepaid balances and packages",
      description: "Balances are set with PATCH /v1/customers/{ref} (messaging.email_send_quota, .sms_quota, .transactions_quota) and consumed with quota debits.",
      tags,
      params: refParams,
      responses: { 200: quotasSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(QuotaCommands.read, ctx, {}, { ref: params.ref }) };
      },
    }),
    defineRoute({
      operation: QuotaOps.debit,
      method: "POST",
      url: "/v1/customers/:ref/quota-debits",
      summary: "Debit a prepaid quota for one message",
      description:
        "Idempotent per message_id: the same message again answers the first debit with replayed: true. A debit larger than the balance is refused (409) and nothing is taken.",
      tags,
      params: refParams,
      body: quotaDebitSchema,
      responses: { 201: quotaDebitResultSchema, 200: quotaDebitResultSchema },
      async handler({ ctx, params, body }) {
        const r = await commands.execute(QuotaCommands.debit, ctx, body, { ref: params.ref });
        return { status: r.replayed ? 200 : 201, body: r };
      },
    }),
  ];
}
