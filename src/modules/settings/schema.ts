import { z } from "zod";

const settingValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

/** A list of key/value settings; values are checked against the registry by the service. */
export const setSettingsSchema = z
  .strictObject({
    settings: z
      .array(z.strictObject({ key: z.string().min(1).max(64).describe("A key from GET /v1/settings-registry"), value: settingValue }))
      .min(1, "must list at least one setting")
      .max(100, "may list at most 100 settings")
      .describe("The settings to set; others keep their values"),
  })
  .meta({ id: "SetSettings" });

export const settingSchema = z.object({
  key: z.string(),
  value: settingValue,
  type: z.enum(["string", "integer", "boolean", "enum"]),
  is_default: z.boolean().describe("true when never set: the value is the registry's default"),
  updated_at: z.string().nullable(),
});

export const settingsSchema = z
  .object({ object: z.literal("settings"), customer_id: z.number().int(), data: z.array(settingSchema) })
  .meta({ id: "CustomerSettings" });
export type SettingsView = z.output<typeof settingsSchema>;

export const settingDefSchema = z.object({
  key: z.string(),
  type: z.enum(["string", "integer", "boolean", "enum"]),
  description: z.string(),
  default: settingValue,
  admin_only: z.boolean(),
});
export type SettingDefView = z.output<typeof settingDefSchema>;
