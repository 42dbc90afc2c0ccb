import { z } from "zod";
import { VerificationOps } from "../../modules/verification/operations.js";
import { verificationSettingsPatchSchema, verificationSettingsSchema } from "../../modules/verification/schema.js";
import type { VerificationService } from "../../modules/verification/service.js";
import { type AnyRoute, defineRoute } from "./route.js";

const refParams = z.object({ ref: z.string().min(1).max(320).describe("Any customer key (see GET /v1/customers/{ref})") });
const settingsOut = verificationSettingsSchema.meta({ id: "ContactVerificationSettings" });

export function verificationRoutes(verification: VerificationService): AnyRoute[] {
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
        return { status: 200, body: await verification.get(ctx, params.ref) };
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
        return { status: 200, body: await verification.update(ctx, params.ref, body ?? {}) };
      },
    }),
  ];
}
