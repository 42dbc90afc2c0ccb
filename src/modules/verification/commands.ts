import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import { VerificationOps } from "./operations.js";
import { verificationSettingsPatchSchema } from "./schema.js";
import type { VerificationService } from "./service.js";

export interface VerificationCommandDeps {
  verification: VerificationService;
}

/** The customer whose settings a command reads or changes (any customer reference). */
export interface VerificationTarget {
  ref: string;
}

export const VerificationCommands = {
  get: defineCommand({
    operation: VerificationOps.get,
    input: z.strictObject({}),
    errors: ["not_found"],
    run: ({ verification }: VerificationCommandDeps, { ctx, target }: CommandCall<unknown, VerificationTarget>) => verification.get(ctx, target.ref),
  }),
  update: defineCommand({
    operation: VerificationOps.update,
    input: verificationSettingsPatchSchema,
    errors: ["not_found"],
    run: ({ verification }: VerificationCommandDeps, { ctx, input, target }: CommandCall<z.output<typeof verificationSettingsPatchSchema>, VerificationTarget>) => verification.update(ctx, target.ref, input),
  }),
} as const;
