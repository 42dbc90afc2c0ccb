import { z } from "zod";
import { token } from "../../core/fields.js";
import { hostname, slug } from "../provisioning/fields.js";
import { statusSchema } from "../provisioning/status.js";

const catalogueRef = z.union([z.number().int().positive(), slug(64)]);

/**
 * The site wizard's input: site name and hostname, container name, environment names, aliases,
 * container type, whether to create DNS, container OS, disk space and size. Disk space is in MB; size is the container's size class (1 = smallest).
 */
export const wizardSchema = z
  .strictObject({
    site_name: slug(64).describe("Site name, unique per customer"),
    site_hostname: hostname.describe("The site's host name (RFC 1123)"),
    container_name: slug(64),
    environment_names: z
      .array(slug(32))
      .min(1, "must name at least one environment")
      .max(10, "may name at most 10 environments")
      .refine((a) => new Set(a).size === a.length, { message: "must not name an environment twice", params: { code: "invalid_value" } })
      .describe("e.g. [\"production\", \"staging\"]"),
    alias_names: z
      .array(hostname)
      .max(50)
      .default([])
      .refine((a) => new Set(a).size === a.length, { message: "must not list an alias twice", params: { code: "invalid_value" } })
      .describe("Further host names of the site"),
    container_type: catalogueRef.describe("Container type id or name (GET /v1/container-types)"),
    container_os_id: catalogueRef.describe("Operating-system image id or name (GET /v1/os-images)"),
    container_disk_space: z.number().int().min(1).max(16_777_216).describe("Disk space in MB; counts against the customer's diskspace_mb quota"),
    container_size: z.number().int().min(1).max(1024).describe("Size class, 1 up to the container type's max_size"),
    create_dns: z.boolean().default(false).describe("Create A/AAAA records for the host name (to the customer's addresses) and CNAMEs for the aliases"),
  })
  .meta({ id: "SiteWizard" });
export type WizardInput = z.output<typeof wizardSchema>;

export const environmentSchema = z.object({ object: z.literal("environment"), id: z.number().int(), site_id: z.number().int(), name: z.string(), ...statusSchema.shape, created_at: z.string() }).meta({ id: "Environment" });
export const containerSchema = z
  .object({
    object: z.literal("container"),
    id: z.number().int(),
    site_id: z.number().int(),
    name: z.string(),
    type: z.object({ id: z.number().int(), name: z.string() }),
    os: z.object({ id: z.number().int(), name: z.string() }),
    disk_space_mb: z.number().int(),
    size: z.number().int(),
    ...statusSchema.shape,
    created_at: z.string(),
  })
  .meta({ id: "Container" });
export const dnsRecordSchema = z.object({ name: z.string(), type: z.enum(["A", "AAAA", "CNAME"]), content: z.string(), ttl: z.number().int() }).meta({ id: "DnsRecord" });
export const siteSchema = z
  .object({
    object: z.literal("site"),
    id: z.number().int(),
    customer_id: z.number().int(),
    name: z.string(),
    hostname: z.string(),
    aliases: z.array(z.string()),
    environments: z.array(environmentSchema),
    containers: z.array(containerSchema),
    dns_records: z.array(dnsRecordSchema),
    ...statusSchema.shape,
    created_at: z.string(),
    version: z.number().int(),
  })
  .meta({ id: "Site" });
export type SiteView = z.output<typeof siteSchema>;

export const containerTypeCreateSchema = z
  .strictObject({ name: slug(64), description: token(0, 200).default(""), max_size: z.number().int().min(1).max(1024).default(8).describe("Largest size class of this type") })
  .meta({ id: "ContainerTypeCreate" });
export const containerTypeSchema = z.object({ object: z.literal("container_type"), id: z.number().int(), name: z.string(), description: z.string(), max_size: z.number().int() }).meta({ id: "ContainerType" });
export const osImageCreateSchema = z.strictObject({ name: slug(64), description: token(0, 200).default("") }).meta({ id: "OsImageCreate" });
export const osImageSchema = z.object({ object: z.literal("os_image"), id: z.number().int(), name: z.string(), description: z.string() }).meta({ id: "OsImage" });
export type ContainerTypeView = z.output<typeof containerTypeSchema>;
export type OsImageView = z.output<typeof osImageSchema>;
