import { z } from "zod";

/** The body of every life-cycle transition: a reason, required by the transitions that record one (suspend). */
export const transitionBodySchema = z.strictObject({
  reason: z.string().trim().min(1, "must not be empty").max(500, "must be at most 500 characters").optional(),
});

export const lifecycleViewSchema = z.object({
  object: z.literal("lifecycle"),
  customer_id: z.number().int(),
  status: z.string(),
  reason: z.string().nullable(),
  imposed_by: z.string().nullable(),
  changed_at: z.string().nullable(),
  can_log_in: z.boolean(),
  allowed_actions: z.array(z.string()),
});
export type LifecycleView = z.output<typeof lifecycleViewSchema>;
