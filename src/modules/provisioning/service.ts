import type { Clock } from "../../core/clock.js";
import type { Context } from "../../core/context.js";
import { AppError, notFound } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Executor, Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import { ProvisioningOps } from "./operations.js";
import { type ProvisionedKind, type ProvisioningStatus, STATUS_TRANSITIONS, type StatusColumns, type StatusView, statusOf, statusUpdateSchema } from "./status.js";

/** How the status of one kind of object is read and written; each module registers its own. */
export interface StatusTarget {
  find(db: Executor, id: number): Promise<(StatusColumns & { customer_id: number }) | undefined>;
  write(db: Executor, id: number, status: StatusColumns): Promise<void>;
}

/** Sets provisioning statuses reported by provisioning systems, checking the transition. */
export class ProvisioningService {
  private readonly targets = new Map<ProvisionedKind, StatusTarget>();

  constructor(
    private readonly storage: Storage,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  register(kind: ProvisionedKind, target: StatusTarget): void {
    this.targets.set(kind, target);
  }

  async setStatus(ctx: Context, kind: ProvisionedKind, id: number, input: unknown): Promise<StatusView & { kind: ProvisionedKind; id: number }> {
    authorize(ctx, ProvisioningOps.setStatus);
    const data = parseOrThrow(statusUpdateSchema, input);
    const target = this.targets.get(kind);
    if (!target) throw notFound(`Object kind ${kind}`);
    return this.storage.transaction(async (trx) => {
      const row = await target.find(trx, id);
      if (!row) throw notFound(kind.replace("_", " "));
      const from = row.status as ProvisioningStatus;
      if (from !== data.status && !STATUS_TRANSITIONS[from].includes(data.status)) {
        throw new AppError("invalid_state_transition", `A ${kind} cannot go from ${from} to ${data.status}`, { issues: [{ field: "status", code: "invalid_value", message: `${from} -> ${data.status} is not allowed` }] });
      }
      const next: StatusColumns = { status: data.status, status_at: this.clock.now().toISOString(), status_message: data.message ?? null };
      await target.write(trx, id, next);
      await this.audit.record(trx, ctx, { operation: ProvisioningOps.setStatus.name, targetType: kind, targetId: id, customerId: row.customer_id, before: statusOf(row), after: statusOf(next) });
      return { kind, id, ...statusOf(next) };
    });
  }
}
