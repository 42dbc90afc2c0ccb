import { z } from "zod";

export const keyTypeFilter = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be a key type: 1-32 lowercase letters, digits, _ or -");

export const customerRoleSchema = z
  .object({
    object: z.literal("role"),
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    keys: z.number().int().describe("Active keys of the customer that carry this role"),
  })
  .meta({ id: "CustomerRole" });
export type CustomerRoleView = z.output<typeof customerRoleSchema>;
