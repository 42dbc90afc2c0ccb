import { z } from "zod";

export const resellerCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).describe("Display name of the reseller"),
    email: z.email().max(320).transform((s) => s.toLowerCase()).describe("Contact address"),
  })
  .meta({ id: "ResellerCreate" });

export const accountSchema = z
  .object({
    object: z.literal("account"),
    id: z.number().int(),
    kind: z.enum(["operator", "reseller"]),
    name: z.string(),
    email: z.string(),
    parent_id: z.number().int().nullable(),
    status: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "Account" });

export type AccountView = z.output<typeof accountSchema>;
