import type { CommandRunner } from "../../core/commands.js";
import { SettingsCommands, type SettingsDeps } from "../../modules/settings/commands.js";
import { SettingsOps } from "../../modules/settings/operations.js";
import { setSettingsSchema, settingDefSchema, settingsSchema } from "../../modules/settings/schema.js";
import { listOf, refParams } from "./hosting-common.js";
import { type AnyRoute, defineRoute } from "./route.js";

export function settingsRoutes(commands: CommandRunner<SettingsDeps>): AnyRoute[] {
  const tags = ["Settings"];
  return [
    defineRoute({
      operation: SettingsOps.registry,
      method: "GET",
      url: "/v1/settings-registry",
      summary: "The settings a customer can carry, their types and defaults",
      tags,
      responses: { 200: listOf(settingDefSchema.meta({ id: "SettingDefinition" })) },
      async handler({ ctx }) {
        return { status: 200, body: { object: "list", data: await commands.execute(SettingsCommands.registry, ctx, {}, undefined) } };
      },
    }),
    defineRoute({
      operation: SettingsOps.get,
      method: "GET",
      url: "/v1/customers/:ref/settings",
      summary: "Every setting of the customer, defaults included (Stackable getSettings)",
      tags,
      params: refParams,
      responses: { 200: settingsSchema },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(SettingsCommands.getSettings, ctx, {}, { ref: params.ref }) };
      },
    }),
    defineRoute({
      operation: SettingsOps.set,
      method: "PUT",
      url: "/v1/customers/:ref/settings",
      summary: "Set a list of settings (Stackable setSettings); unlisted settings keep their values",
      description: "Keys must be in the registry and values of its type; one wrong entry refuses the whole list.",
      tags,
      params: refParams,
      body: setSettingsSchema,
      responses: { 200: settingsSchema },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(SettingsCommands.setSettings, ctx, body, { ref: params.ref }) };
      },
    }),
  ];
}
