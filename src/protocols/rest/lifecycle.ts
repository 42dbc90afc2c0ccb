import { z } from "zod";
import { customerSchema } from "../../modules/customers/schema.js";
import { LifecycleOps } from "../../modules/lifecycle/operations.js";
import type { CommandRunner } from "../../core/commands.js";
import { LifecycleCommands, type LifecycleCommandDeps, TransitionCommands } from "../../modules/lifecycle/commands.js";
import { lifecycleViewSchema, transitionBodySchema } from "../../modules/lifecycle/schema.js";
import { type LifecycleAction, TRANSITIONS } from "../../modules/lifecycle/service.js";
import { type AnyRoute, defineRoute, selfRef } from "./route.js";

const refParams = z.object({ ref: z.string().min(1).max(320).describe("Any customer key (id, handle, login, e-mail, typed forms)") });
const customerOut = customerSchema.meta({ id: "Customer" });

const PATHS: Record<LifecycleAction, string> = {
  suspend: "suspend",
  unsuspend: "unsuspend",
  deactivate: "deactivate",
  reactivate: "reactivate",
  unlock: "unlock",
  request_cancellation: "request-cancellation",
  withdraw_cancellation: "withdraw-cancellation",
  close: "close",
};


export function lifecycleRoutes(commands: CommandRunner<LifecycleCommandDeps>): AnyRoute[] {
  const tags = ["Life cycle"];
  const routes: AnyRoute[] = [
    defineRoute({
      operation: LifecycleOps.read,
      method: "GET",
      url: "/v1/customers/:ref/lifecycle",
      summary: "Status, its reason, who imposed it, and the transitions allowed now",
      tags,
      params: refParams,
      responses: { 200: lifecycleViewSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(LifecycleCommands.read, ctx, {}, { ref: params.ref }) };
      },
    }),
    defineRoute({
      operation: LifecycleOps.anonymise,
      method: "POST",
      url: "/v1/customers/:ref/anonymise",
      summary: "Replace the personal data of a deleted customer (erasure request); the tombstone stays",
      tags,
      params: refParams,
      responses: { 200: customerOut },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(LifecycleCommands.anonymise, ctx, {}, { ref: params.ref }) };
      },
    }),
  ];
  for (const action of Object.keys(PATHS) as LifecycleAction[]) {
    const t = TRANSITIONS[action];
    routes.push(
      defineRoute({
        operation: t.op,
        method: "POST",
        url: `/v1/customers/:ref/${PATHS[action]}`,
        summary: `${t.op.summary} (from ${t.from.join(", ")} to ${t.to})`,
        tags,
        params: refParams,
        body: transitionBodySchema,
        responses: { 200: customerOut },
        async handler({ ctx, params, body }) {
          return { status: 200, body: await commands.execute(TransitionCommands[action], ctx, body ?? {}, { ref: params.ref }) };
        },
      }),
    );
  }
  for (const action of ["request_cancellation", "withdraw_cancellation"] as const) {
    const t = TRANSITIONS[action];
    routes.push(
      defineRoute({
        operation: t.op,
        method: "POST",
        url: `/v1/me/${PATHS[action]}`,
        summary: `${t.op.summary}, for the logged-in customer`,
        tags,
        body: transitionBodySchema,
        responses: { 200: customerOut },
        async handler({ ctx, body }) {
          return { status: 200, body: await commands.execute(TransitionCommands[action], ctx, body ?? {}, { ref: selfRef(ctx) }) };
        },
      }),
    );
  }
  return routes;
}
