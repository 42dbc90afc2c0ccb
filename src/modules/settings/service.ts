import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, type FieldIssue, validationFailed } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow, zodIssuesToFieldIssues } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerService } from "../customers/service.js";
import { visibleCustomer, writableCustomer } from "../provisioning/scope.js";
import { SettingsOps } from "./operations.js";
import { SETTINGS, SETTINGS_BY_KEY } from "./registry.js";
import { type SettingRow, SettingsRepository } from "./repository.js";
import { type SettingDefView, type SettingsView, setSettingsSchema } from "./schema.js";

function toView(customerId: number, rows: SettingRow[]): SettingsView {
  const stored = new Map(rows.map((r) => [r.key, r]));
  return {
    object: "settings",
    customer_id: customerId,
    data: SETTINGS.map((def) => {
      const row = stored.get(def.key);
      return row
        ? { key: def.key, value: JSON.parse(row.value) as string | number | boolean, type: def.type, is_default: false, updated_at: row.updated_at }
        : { key: def.key, value: def.default, type: def.type, is_default: true, updated_at: null };
    }),
  };
}

/** Typed per-customer settings checked against the registry. */
export class SettingsService {
  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    customers: CustomerService,
  ) {
    customers.onPurge((trx, id) => new SettingsRepository(trx).deleteFor(id));
  }

  registry(ctx: Context): SettingDefView[] {
    authorize(ctx, SettingsOps.registry);
    return SETTINGS.map((s) => ({ key: s.key, type: s.type, description: s.description, default: s.default, admin_only: s.adminOnly }));
  }

  async getSettings(ctx: Context, customerRef: string | number): Promise<SettingsView> {
    authorize(ctx, SettingsOps.get);
    const customer = await visibleCustomer(this.storage.db, ctx, customerRef);
    return toView(customer.id, await new SettingsRepository(this.storage.db).list(customer.id));
  }

  /** Every listed setting is checked first; one bad entry refuses the whole list and nothing is written. */
  async setSettings(ctx: Context, customerRef: string | number, input: unknown): Promise<SettingsView> {
    authorize(ctx, SettingsOps.set);
    const data = parseOrThrow(setSettingsSchema, input);
    const issues: FieldIssue[] = [];
    const values = new Map<string, string | number | boolean>();
    data.settings.forEach((entry, i) => {
      const def = SETTINGS_BY_KEY.get(entry.key);
      if (!def) {
        issues.push({ field: `settings.${i}.key`, code: "invalid_value", message: `"${entry.key}" is not a known setting (see GET /v1/settings-registry)` });
        return;
      }
      if (values.has(entry.key)) {
        issues.push({ field: `settings.${i}.key`, code: "invalid_value", message: `"${entry.key}" is listed twice` });
        return;
      }
      if (def.adminOnly && ctx.principal.kind === "customer") {
        issues.push({ field: `settings.${i}.key`, code: "not_allowed", message: `"${entry.key}" is set by the provider, not by the customer` });
        return;
      }
      const parsed = def.schema.safeParse(entry.value);
      if (!parsed.success) {
        for (const issue of zodIssuesToFieldIssues(parsed.error, entry.value)) issues.push({ ...issue, field: `settings.${i}.value`, message: `${entry.key} ${issue.message}` });
        return;
      }
      values.set(entry.key, parsed.data);
    });
    if (issues.length > 0) throw validationFailed(issues);
    return this.storage.transaction(async (trx) => {
      const customer = await writableCustomer(trx, ctx, customerRef);
      const repo = new SettingsRepository(trx);
      const before = toView(customer.id, await repo.list(customer.id));
      const at = this.clock.now().toISOString();
      for (const [key, value] of values) await repo.upsert({ customer_id: customer.id, key, value: JSON.stringify(value), updated_at: at });
      const after = toView(customer.id, await repo.list(customer.id));
      await this.audit.record(trx, ctx, {
        operation: SettingsOps.set.name,
        targetType: "customer_settings",
        targetId: customer.id,
        customerId: customer.id,
        before: Object.fromEntries(before.data.map((s) => [s.key, s.value])),
        after: Object.fromEntries(after.data.map((s) => [s.key, s.value])),
      });
      return after;
    });
  }

  /** The effective value of one setting, for other modules' rules (no scope check: callers did it). */
  async valueOf(db: Executor, customerId: number, key: string): Promise<string | number | boolean> {
    const def = SETTINGS_BY_KEY.get(key);
    if (!def) throw new AppError("internal", `unknown setting ${key}`);
    const row = await new SettingsRepository(db).find(customerId, key);
    return row ? (JSON.parse(row.value) as string | number | boolean) : def.default;
  }
}
