import { z } from "zod";

/**
 * The registry of known customer settings. A key not listed here is refused, so a typo never
 * becomes a setting nobody reads. `adminOnly` settings are changed by operators and resellers
 * only (a customer must not pick its own billing method).
 */
export interface SettingDef {
  key: string;
  type: "string" | "integer" | "boolean" | "enum";
  description: string;
  default: string | number | boolean;
  /** The value's rule; input arrives as JSON or as a string (Thrift's SettingList carries strings). */
  schema: z.ZodType<string | number | boolean>;
  adminOnly: boolean;
}

const bool = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
const int = (min: number, max: number) =>
  z.union([z.number(), z.string().regex(/^-?\d{1,10}$/, "must be an integer").transform(Number)]).pipe(z.number().int("must be an integer").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const oneOf = (values: readonly [string, ...string[]]) => z.enum(values, { message: `must be one of ${values.join(", ")}` });

const TIME_ZONES = new Set(Intl.supportedValuesOf("timeZone").concat("UTC"));

export const SETTINGS: readonly SettingDef[] = [
  { key: "bandwidth.billing_method", type: "enum", description: "How billable bandwidth is figured: p95 (95th percentile of 5-minute rates, Mbit/s) or total (GB transferred)", default: "p95", schema: oneOf(["p95", "total"]), adminOnly: true },
  { key: "backup.enabled", type: "boolean", description: "Nightly backups of the customer's containers", default: true, schema: bool, adminOnly: false },
  { key: "backup.retention_days", type: "integer", description: "Days a backup is kept (1-365)", default: 14, schema: int(1, 365), adminOnly: false },
  { key: "dns.default_ttl", type: "integer", description: "TTL in seconds of DNS records the wizard creates (60-86400)", default: 3600, schema: int(60, 86400), adminOnly: false },
  { key: "notices.digest", type: "enum", description: "Collect notices into a digest: off, daily or weekly", default: "off", schema: oneOf(["off", "daily", "weekly"]), adminOnly: false },
  { key: "php.version", type: "enum", description: "Default PHP version of new containers", default: "8.3", schema: oneOf(["8.1", "8.2", "8.3", "8.4"]), adminOnly: false },
  {
    key: "timezone",
    type: "string",
    description: "IANA time zone of the customer's control panel, e.g. Europe/Amsterdam",
    default: "UTC",
    schema: z.string().max(64).refine((s) => TIME_ZONES.has(s), "must be an IANA time zone such as Europe/Amsterdam"),
    adminOnly: false,
  },
];

export const SETTINGS_BY_KEY: ReadonlyMap<string, SettingDef> = new Map(SETTINGS.map((s) => [s.key, s]));
