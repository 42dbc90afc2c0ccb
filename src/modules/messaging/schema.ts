import { z } from "zod";
import { nonNegativeInt, token } from "../../core/fields.js";

/**
 * The messaging side of a customer: packages (what a customer buys: e-mail, SMS,
 * transactional) and prepaid quotas (what it has left to send).
 */

export const PACKAGE_KINDS = ["email", "sms", "transactions"] as const;
export type PackageKind = (typeof PACKAGE_KINDS)[number];
export const PACKAGE_PERIODS = ["once", "monthly", "yearly"] as const;

/** The customer's `messaging` keys that reference a package, and the package kind each must be. */
export const PACKAGE_REFERENCES = {
  email_package_id: "email",
  sms_package_id: "sms",
  transactions_package_id: "transactions",
} as const satisfies Record<string, PackageKind>;

/** The customer's `messaging` key that holds each kind's prepaid balance. */
export const QUOTA_FIELDS = {
  email: "email_send_quota",
  sms: "sms_quota",
  transactions: "transactions_quota",
} as const satisfies Record<PackageKind, string>;

const price = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,4})?$/, "must be a decimal amount such as 199.00")
  .describe("Price per period as a decimal string (no rounding through floating point)");
const currency = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code"));

const packageFields = {
  kind: z.enum(PACKAGE_KINDS).describe("What the package sells"),
  name: token(1, 100).describe("Unique name, shown to customers"),
  description: token(0, 500).optional(),
  volume: nonNegativeInt.describe("Units included per period (messages, SMS, transactions)"),
  period: z.enum(PACKAGE_PERIODS).describe("How often the volume and price recur"),
  price,
  currency,
};

export const packageCreateSchema = z.strictObject(packageFields).meta({ id: "MessagePackageCreate" });
export const packagePatchSchema = z
  .strictObject({
    name: packageFields.name.optional(),
    description: packageFields.description,
    volume: packageFields.volume.optional(),
    period: packageFields.period.optional(),
    price: price.optional(),
    currency: currency.optional(),
  })
  .describe("A partial update; the kind of a package never changes (customers reference it by kind)")
  .meta({ id: "MessagePackagePatch" });

export const packageSchema = z
  .object({
    object: z.literal("message_package"),
    id: z.number().int(),
    kind: z.enum(PACKAGE_KINDS),
    name: z.string(),
    description: z.string(),
    volume: z.number().int(),
    period: z.enum(PACKAGE_PERIODS),
    price: z.string(),
    currency: z.string(),
    archived: z.boolean().describe("Archived packages stay readable but cannot be newly assigned"),
    created_at: z.string(),
    updated_at: z.string(),
    version: z.number().int(),
  })
  .meta({ id: "MessagePackage" });
export type MessagePackage = z.output<typeof packageSchema>;

export const packageListQuerySchema = z.object({
  kind: z.enum(PACKAGE_KINDS).optional(),
  include_archived: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  starting_after: z.coerce.number().int().min(0).optional(),
});

export const packageListSchema = z.object({
  object: z.literal("list"),
  data: z.array(packageSchema),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

export const quotaDebitSchema = z
  .strictObject({
    kind: z.enum(PACKAGE_KINDS).describe("Which prepaid quota to debit"),
    units: z.number().int("must be an integer").min(1, "must be at least 1").max(1_000_000, "must be at most 1000000"),
    message_id: token(1, 255).describe("The message this debit pays for; a repeated debit with the same id is answered from the first"),
  })
  .meta({ id: "QuotaDebit" });

export const quotaDebitResultSchema = z
  .object({
    object: z.literal("quota_debit"),
    customer_id: z.number().int(),
    kind: z.enum(PACKAGE_KINDS),
    message_id: z.string(),
    units: z.number().int(),
    balance: z.number().int().describe("What is left of this quota after the debit"),
    replayed: z.boolean().describe("True when this message id had been debited before; nothing was debited again"),
    created_at: z.string(),
  })
  .meta({ id: "QuotaDebitResult" });
export type QuotaDebitResult = z.output<typeof quotaDebitResultSchema>;

export const quotasSchema = z
  .object({
    object: z.literal("quotas"),
    customer_id: z.number().int(),
    email: z.number().int(),
    sms: z.number().int(),
    transactions: z.number().int(),
    email_package_id: z.number().int().nullable(),
    sms_package_id: z.number().int().nullable(),
    transactions_package_id: z.number().int().nullable(),
  })
  .meta({ id: "Quotas" });
export type Quotas = z.output<typeof quotasSchema>;
