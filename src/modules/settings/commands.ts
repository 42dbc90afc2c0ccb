import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import type { CustomerTarget } from "../provisioning/targets.js";
import { SettingsOps } from "./operations.js";
import { setSettingsSchema } from "./schema.js";
import type { SettingsService } from "./service.js";

export interface SettingsDeps {
  hosting: { settings: SettingsService };
}
const nothing = z.strictObject({});

/** Setting and reading a customer's settings, and the registry they follow. */
export const SettingsCommands = {
  setSettings: defineCommand({
    operation: SettingsOps.set,
    input: setSettingsSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ hosting }: SettingsDeps, { ctx, input, target }: CommandCall<z.output<typeof setSettingsSchema>, CustomerTarget>) => hosting.settings.setSettings(ctx, target.ref, input),
  }),
  getSettings: defineCommand({
    operation: SettingsOps.get,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: SettingsDeps, { ctx, target }: CommandCall<unknown, CustomerTarget>) => hosting.settings.getSettings(ctx, target.ref),
  }),
  registry: defineCommand({
    operation: SettingsOps.registry,
    input: nothing,
    errors: [],
    run: async ({ hosting }: SettingsDeps, { ctx }) => hosting.settings.registry(ctx),
  }),
} as const;
