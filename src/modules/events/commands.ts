import { z } from "zod";
import { type CommandCall, defineCommand, type PreparedCall } from "../../core/commands.js";
import type { NoticeDelivery } from "./notices.js";
import { EventOps, NoticeDeliveryOps, WebhookOps } from "./operations.js";
import { endpointCreateSchema, endpointUpdateSchema, rotateSecretSchema } from "./schema.js";
import type { EventService } from "./service.js";
import type { CheckedTarget, WebhookService } from "./webhooks.js";

export interface WebhookCommandDeps {
  webhooks: WebhookService;
}

export interface EventCommandDeps {
  events: Pick<EventService, "list">;
  noticeDelivery: Pick<NoticeDelivery, "list" | "issueSigningSecret">;
}

/** The endpoint a command acts on; `deliveryId` names one of its deliveries. */
export interface EndpointTarget {
  id: number;
  deliveryId?: number;
}

const nothing = z.strictObject({});
/** A list query as the caller sent it: the service validates it (issues name the query parameters, cursors are decoded once). */
const rawQuery = z.record(z.string(), z.unknown());
type Call<I> = CommandCall<I, EndpointTarget>;

/**
 * Webhook endpoints. Registering one and changing its URL resolve the target's address (DNS)
 * first, in the command's `prepare` step: not while its transaction holds the database.
 */
export const WebhookCommands = {
  create: defineCommand({
    operation: WebhookOps.create,
    input: endpointCreateSchema,
    errors: ["conflict"],
    prepare: ({ webhooks }: WebhookCommandDeps, { ctx, input }) => webhooks.checkCreate(ctx, input),
    run: ({ webhooks }: WebhookCommandDeps, { ctx, input, prepared }) => webhooks.create(ctx, input, prepared),
  }),
  update: defineCommand({
    operation: WebhookOps.update,
    input: endpointUpdateSchema,
    errors: ["not_found", "precondition_failed"],
    prepare: ({ webhooks }: WebhookCommandDeps, { input }) => webhooks.checkUpdate(input),
    run: ({ webhooks }: WebhookCommandDeps, { ctx, input, target, prepared }: PreparedCall<z.output<typeof endpointUpdateSchema>, EndpointTarget, CheckedTarget | undefined>) =>
      webhooks.update(ctx, target.id, input, prepared),
  }),
  list: defineCommand({
    operation: WebhookOps.list,
    input: rawQuery,
    errors: [],
    run: ({ webhooks }: WebhookCommandDeps, { ctx, input }) => webhooks.list(ctx, input),
  }),
  get: defineCommand({
    operation: WebhookOps.get,
    input: nothing,
    errors: ["not_found"],
    run: ({ webhooks }: WebhookCommandDeps, { ctx, target }: Call<unknown>) => webhooks.get(ctx, target.id),
  }),
  delete: defineCommand({
    operation: WebhookOps.delete,
    input: nothing,
    errors: ["not_found"],
    run: ({ webhooks }: WebhookCommandDeps, { ctx, target }: Call<unknown>) => webhooks.delete(ctx, target.id),
  }),
  rotateSecret: defineCommand({
    operation: WebhookOps.rotateSecret,
    input: rotateSecretSchema,
    errors: ["not_found"],
    run: ({ webhooks }: WebhookCommandDeps, { ctx, input, target }: Call<z.output<typeof rotateSecretSchema>>) => webhooks.rotateSecret(ctx, target.id, input),
  }),
  ping: defineCommand({
    operation: WebhookOps.ping,
    input: nothing,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ webhooks }: WebhookCommandDeps, { ctx, target }: Call<unknown>) => webhooks.ping(ctx, target.id),
  }),
  deliveries: defineCommand({
    operation: WebhookOps.deliveries,
    input: rawQuery,
    errors: ["not_found"],
    run: ({ webhooks }: WebhookCommandDeps, { ctx, input, target }: Call<Record<string, unknown>>) => webhooks.deliveries(ctx, target.id, input),
  }),
  redeliver: defineCommand({
    operation: WebhookOps.redeliver,
    input: nothing,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ webhooks }: WebhookCommandDeps, { ctx, target }: Call<unknown>) => webhooks.redeliver(ctx, target.id, target.deliveryId ?? 0),
  }),
} as const;

/** The event feed, a notice's delivery state, and the secret that signs notices to a customer's webhook contact methods. */
export const EventCommands = {
  list: defineCommand({
    operation: EventOps.list,
    input: rawQuery,
    errors: [],
    run: ({ events }: EventCommandDeps, { ctx, input }) => events.list(ctx, input),
  }),
  noticeDeliveries: defineCommand({
    operation: NoticeDeliveryOps.list,
    input: nothing,
    errors: ["not_found"],
    run: ({ noticeDelivery }: EventCommandDeps, { ctx, target }: CommandCall<unknown, { noticeId: number }>) => noticeDelivery.list(ctx, target.noticeId),
  }),
  signingSecret: defineCommand({
    operation: NoticeDeliveryOps.signingSecret,
    input: rotateSecretSchema,
    errors: ["not_found"],
    run: ({ noticeDelivery }: EventCommandDeps, { ctx, input, target }: CommandCall<z.output<typeof rotateSecretSchema>, { ref: string }>) => noticeDelivery.issueSigningSecret(ctx, target.ref, input),
  }),
} as const;
