import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import type { CustomerTarget, ObjectTarget } from "../provisioning/targets.js";
import { NoticeOps } from "./operations.js";
import { noticeCreateSchema, noticeListSchema, noticePatchSchema } from "./schema.js";
import type { NoticeService } from "./service.js";

export interface NoticeDeps {
  hosting: { notices: NoticeService };
}
const nothing = z.strictObject({});

/** Listing and acknowledging a customer's notices; how providers write notices. */
export const NoticeCommands = {
  create: defineCommand({
    operation: NoticeOps.create,
    input: noticeCreateSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ hosting }: NoticeDeps, { ctx, input }) => hosting.notices.create(ctx, input),
  }),
  get: defineCommand({
    operation: NoticeOps.get,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: NoticeDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.notices.get(ctx, target.id),
  }),
  update: defineCommand({
    operation: NoticeOps.update,
    input: noticePatchSchema,
    errors: ["not_found", "precondition_failed"],
    run: ({ hosting }: NoticeDeps, { ctx, input, target }: CommandCall<z.output<typeof noticePatchSchema>, ObjectTarget>) => hosting.notices.update(ctx, target.id, input, target.expectedVersion),
  }),
  delete: defineCommand({
    operation: NoticeOps.delete,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: NoticeDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.notices.delete(ctx, target.id),
  }),
  listNotices: defineCommand({
    operation: NoticeOps.list,
    input: noticeListSchema,
    errors: ["not_found"],
    run: ({ hosting }: NoticeDeps, { ctx, input, target }: CommandCall<z.output<typeof noticeListSchema>, CustomerTarget>) => hosting.notices.listNotices(ctx, target.ref, input),
  }),
  acknowledgeNotice: defineCommand({
    operation: NoticeOps.acknowledge,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: NoticeDeps, { ctx, target }: CommandCall<unknown, CustomerTarget & { noticeId: number }>) => hosting.notices.acknowledgeNotice(ctx, target.ref, target.noticeId),
  }),
} as const;
