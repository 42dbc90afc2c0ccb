import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import type { CustomerTarget, ObjectTarget } from "../provisioning/targets.js";
import { FtpOps } from "./operations.js";
import { ftpUserCreateSchema, ftpUserListSchema, ftpUserPatchSchema } from "./schema.js";
import type { FtpService } from "./service.js";

export interface FtpDeps {
  hosting: { ftp: FtpService };
}
const nothing = z.strictObject({});

/** A customer's FTP users: create, list, update, delete. */
export const FtpCommands = {
  createFTPUser: defineCommand({
    operation: FtpOps.create,
    input: ftpUserCreateSchema,
    errors: ["not_found", "conflict", "invalid_state_transition"],
    run: ({ hosting }: FtpDeps, { ctx, input, target }: CommandCall<z.output<typeof ftpUserCreateSchema>, CustomerTarget>) => hosting.ftp.createFTPUser(ctx, target.ref, input),
  }),
  listFTPUsers: defineCommand({
    operation: FtpOps.list,
    input: ftpUserListSchema,
    errors: ["not_found"],
    run: ({ hosting }: FtpDeps, { ctx, input, target }: CommandCall<z.output<typeof ftpUserListSchema>, CustomerTarget>) => hosting.ftp.listFTPUsers(ctx, target.ref, input),
  }),
  get: defineCommand({
    operation: FtpOps.get,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: FtpDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.ftp.get(ctx, target.id),
  }),
  updateFTPUser: defineCommand({
    operation: FtpOps.update,
    input: ftpUserPatchSchema,
    errors: ["not_found", "conflict", "precondition_failed"],
    run: ({ hosting }: FtpDeps, { ctx, input, target }: CommandCall<z.output<typeof ftpUserPatchSchema>, ObjectTarget>) => hosting.ftp.updateFTPUser(ctx, target.id, input, target.expectedVersion),
  }),
  destroyFTPUser: defineCommand({
    operation: FtpOps.delete,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: FtpDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.ftp.destroyFTPUser(ctx, target.id),
  }),
} as const;
