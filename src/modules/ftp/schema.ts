import { z } from "zod";
import { token } from "../../core/fields.js";
import { statusSchema } from "../provisioning/status.js";
import { checkRelativeRoot } from "./path.js";

/** What an FTP user may do below its root. */
export const FTP_USER_TYPES = ["read_write", "read_only", "upload_only"] as const;

export const relativeRoot = z
  .string()
  .max(4096)
  .transform((s, c) => {
    const r = checkRelativeRoot(s);
    if (!r.ok) {
      c.addIssue({ code: "custom", message: r.reason, params: { code: "invalid_format" } });
      return z.NEVER;
    }
    return r.path;
  });

const username = z.string().regex(/^[a-z0-9][a-z0-9._-]{2,31}$/, "must be 3-32 characters: lowercase letters, digits, . _ -, starting with a letter or digit");
const password = z.string().min(10, "must be at least 10 characters").max(1024, "must be at most 1024 characters");

/** A new FTP user: name, username, password, root relative to the customer's, type, optionally a site and environment. */
export const ftpUserCreateSchema = z
  .strictObject({
    name: token(1, 200).describe("A label for people"),
    username: username.describe("Login name, unique across the FTP servers"),
    password: password.describe("Stored as an argon2id hash; never returned"),
    relative_root: relativeRoot.describe("Directory below the customer's home; empty: the home itself"),
    type: z.enum(FTP_USER_TYPES),
    site_id: z.number().int().positive().optional(),
    environment_id: z.number().int().positive().optional(),
  })
  .meta({ id: "FtpUserCreate" });

/** An FTP user change: omitted fields stay; site_id/environment_id null unlinks. */
export const ftpUserPatchSchema = z
  .strictObject({
    name: token(1, 200).optional(),
    username: username.optional(),
    password: password.optional(),
    relative_root: relativeRoot.optional(),
    type: z.enum(FTP_USER_TYPES).optional(),
    site_id: z.number().int().positive().nullable().optional(),
    environment_id: z.number().int().positive().nullable().optional(),
  })
  .meta({ id: "FtpUserPatch" });

export const ftpUserListSchema = z.strictObject({
  site_id: z.number().int().positive().optional(),
  environment_id: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(25),
  starting_after: z.number().int().positive().optional(),
});

export const ftpUserSchema = z
  .object({
    object: z.literal("ftp_user"),
    id: z.number().int(),
    customer_id: z.number().int(),
    name: z.string(),
    username: z.string(),
    relative_root: z.string(),
    type: z.enum(FTP_USER_TYPES),
    site_id: z.number().int().nullable(),
    environment_id: z.number().int().nullable(),
    ...statusSchema.shape,
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
  })
  .meta({ id: "FtpUser" });
export type FtpUserView = z.output<typeof ftpUserSchema>;
