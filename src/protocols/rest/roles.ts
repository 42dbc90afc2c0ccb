import { z } from "zod";
import type { CommandRunner } from "../../core/commands.js";
import { type ApiKeyCommandDeps, RoleCommands } from "../../modules/auth/commands.js";
import { RoleOps } from "../../modules/auth/operations.js";
import { roleSchema } from "../../modules/auth/schema.js";
import { type AnyRoute, defineRoute } from "./route.js";

export function roleRoutes(commands: CommandRunner<ApiKeyCommandDeps>): AnyRoute[] {
  return [
    defineRoute({
      operation: RoleOps.list,
      method: "GET",
      url: "/v1/roles",
      summary: "List the roles a key can carry (Stackable listRoles)",
      tags: ["API keys"],
      responses: { 200: z.object({ object: z.literal("list"), data: z.array(roleSchema) }) },
      async handler({ ctx }) {
        return { status: 200, body: { object: "list", data: await commands.execute(RoleCommands.list, ctx, {}, undefined) } };
      },
    }),
  ];
}
