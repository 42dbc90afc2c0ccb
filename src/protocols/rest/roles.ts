import { z } from "zod";
import type { ApiKeyService } from "../../modules/auth/apikeys.js";
import { RoleOps } from "../../modules/auth/operations.js";
import { roleSchema } from "../../modules/auth/schema.js";
import { type AnyRoute, defineRoute } from "./route.js";

export function roleRoutes(keys: ApiKeyService): AnyRoute[] {
  return [
    defineRoute({
      operation: RoleOps.list,
      method: "GET",
      url: "/v1/roles",
      summary: "List the roles a key can carry (Stackable listRoles)",
      tags: ["API keys"],
      responses: { 200: z.object({ object: z.literal("list"), data: z.array(roleSchema) }) },
      async handler({ ctx }) {
        return { status: 200, body: { object: "list", data: keys.listRoles(ctx) } };
      },
    }),
  ];
}
