import { z } from "zod";
import { ROLE_NAMES } from "./roles.js";

const principalKind = z.enum(["operator", "reseller", "customer"]);

export const apiKeyCreateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).describe("What the key is for"),
    type: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "must be 1-32 lowercase letters, digits, _ or -").default("standard").describe("Free label of the key's kind, e.g. standard, automation"),
    roles: z.array(z.enum(ROLE_NAMES as [string, ...string[]])).max(10).default(["owner"]).describe("Built-in roles; see GET /v1/roles"),
    expires_at: z.iso.datetime({ offset: true }).nullable().optional().describe("When the key stops working (ISO 8601); null or absent: never"),
    principal: z
      .strictObject({ kind: principalKind, id: z.number().int().positive() })
      .optional()
      .describe("Whom the key acts as; absent: the caller itself. Resellers: itself or its customers; customers: itself"),
    signing: z.boolean().default(false).describe("Also issue an HMAC signing secret (Stackable signed requests); shown once in `signing_secret`"),
  })
  .meta({ id: "ApiKeyCreate" });

export const apiKeyUpdateSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    roles: z.array(z.enum(ROLE_NAMES as [string, ...string[]])).max(10).optional(),
    expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .meta({ id: "ApiKeyUpdate" });

export const apiKeySchema = z
  .object({
    object: z.literal("api_key"),
    id: z.number().int(),
    prefix: z.string().describe("Readable start of the key, safe to show and log"),
    name: z.string(),
    type: z.string(),
    principal: z.object({ kind: principalKind, id: z.number().int() }),
    roles: z.array(z.string()),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "ApiKey" });

export const issuedApiKeySchema = apiKeySchema
  .extend({
    secret: z.string().describe("The whole key; shown only in this response"),
    signing_secret: z.string().optional().describe("The HMAC signing secret (keys created with signing: true); shown only in this response, stored encrypted"),
  })
  .meta({ id: "IssuedApiKey" });

export const aclInputSchema = z
  .strictObject({
    address: z.string().min(1).max(64).describe("IPv4 or IPv6 address, or CIDR range"),
    description: z.string().max(200).default(""),
  })
  .meta({ id: "ApiKeyAclInput" });

export const aclPatchSchema = z
  .strictObject({ address: z.string().min(1).max(64).optional(), description: z.string().max(200).optional() })
  .meta({ id: "ApiKeyAclPatch" });

export const aclEntrySchema = z
  .object({
    object: z.literal("api_key_acl_entry"),
    id: z.number().int(),
    key_id: z.number().int(),
    address: z.string().describe("Canonical CIDR form"),
    description: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "ApiKeyAclEntry" });

export const roleSchema = z
  .object({ object: z.literal("role"), name: z.string(), description: z.string(), permissions: z.array(z.string()) })
  .meta({ id: "Role" });

export type ApiKeyView = z.output<typeof apiKeySchema>;
export type IssuedApiKey = z.output<typeof issuedApiKeySchema>;
export type AclEntryView = z.output<typeof aclEntrySchema>;
export type RoleView = z.output<typeof roleSchema>;
