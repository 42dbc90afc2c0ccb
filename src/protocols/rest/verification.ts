import { z } from "zod";
import { VerificationOps } from "../../modules/verification/operations.js";
import { verificationSettingsPatchSchema, verificationSettingsSchema } from "../../modules/verification/schema.js";
import type { CommandRunner } from "../../core/commands.js";
import { VerificationCommands, type VerificationCommandDeps } from "../../modules/verification/commands.js";
import { type AnyRoute, defineRoute } from "./route.js";

const refParams = z.object({ ref: z.string().min(1).max(320).describe("Any customer key (see GET /v1/customers/{ref})") });
const settingsOut = verificationSettingsSchema.meta({ id: "ContactVerificationSettings" });

export function verificationRoutes(commands: CommandRunner<VerificationCommandDeps>): AnyRoute[] {
  const tags = ["Contact verification"];
  return [
    defineRoute({
      operation: VerificationOps.get,
      method: "GET",
      url: "/v1/customers/:ref/contact-verification",
      summary: "Read the contact-verification e-mail settings",
      tags,
      params: refParams,
      responses: { 200: settingsOut },
      async handler({ ctx, params }) {
        return { status: 200, body: await commands.execute(VerificationCommands.get, ctx, {}, { ref: params.ref }) };
      },
    }),
    defineRoute({
      operation: VerificationOps.update,
      method: "PUT",
      url: "/v1/customers/:ref/contact-verification",
      summary: "Change the contact-verification e-mail settings",
      description: "Omitted fields stay as they are; an empty string clears a field.",
      tags,
      params: refParams,
      body: verificationSettingsPatchSchema,
      responses: { 200: settingsOut },
      async handler({ ctx, params, body }) {
        return { status: 200, body: await commands.execute(VerificationCommands.update, ctx, body ?? {}, { ref: params.ref }) };
      },
    }),
  ];
}
