import { randomBytes } from "node:crypto";
import type { Context } from "../../core/context.js";
import { notFound } from "../../core/errors.js";
import { authorize } from "../../core/operations.js";
import type { Storage } from "../../storage/db.js";
import { CustomerOps } from "../customers/operations.js";
import { LifecycleOps } from "../lifecycle/operations.js";
import type { CredentialService } from "../credentials/service.js";
import type { Customer } from "../customers/schema.js";
import type { CustomerService } from "../customers/service.js";
import type { LifecycleService } from "../lifecycle/service.js";
import type { MailService } from "../mail/service.js";
import type { CustomerDirectory, DirectoryEntry } from "../usage/directory.js";

export interface PanelCreate {
  /** A customer create body (customerCreateSchema). */
  customer: Record<string, unknown>;
  /** The password to set; none: one is generated. */
  password?: string;
  /** Mail the generated password to the customer's e-mail address. */
  sendPassword?: boolean;
}

export interface PanelUpdate {
  /** A customer patch (customerPatchSchema); may be empty. */
  patch: Record<string, unknown>;
  password?: string;
  /** true: make the customer active (reactivate / unsuspend); false: deactivate it. */
  active?: boolean;
  /** Hand the customer to this account. */
  ownerId?: number;
}

/** Statuses from which "active" is reached, and by which life-cycle step. */
const ACTIVATE_FROM = { deactivated: "reactivate", suspended: "unsuspend", locked: "unlock" } as const;

/** A generated password that satisfies the password policy (letters, digits, symbol mixed). */
function generatePassword(): string {
  return `${randomBytes(12).toString("base64url")}-${randomBytes(2).toString("hex")}A7`;
}

/**
 * The composite customer operations billing and provisioning systems drive in one call: create
 * with a password, update with password, activation and owner, unlock when locked. Each runs in
 * ONE transaction around the services it combines (they join it), so a refused password or
 * budget leaves nothing written. Every step is authorized by the service that performs it.
 */
export class PanelAccountService {
  constructor(
    private readonly storage: Storage,
    private readonly customers: CustomerService,
    private readonly credentials: CredentialService,
    private readonly lifecycle: LifecycleService,
    private readonly mail: MailService,
    private readonly directory: CustomerDirectory,
  ) {}

  /** Provisioning acts on live customers: a deleted one (a tombstone) is reported missing. */
  private async live(ctx: Context, ref: string): Promise<Customer> {
    const c = await this.customers.get(ctx, ref);
    if (c.deleted) throw notFound("Customer");
    return c;
  }

  private async entry(c: Customer): Promise<DirectoryEntry> {
    const [e] = await this.directory.entriesFor([c]);
    return e as DirectoryEntry;
  }

  async create(ctx: Context, input: PanelCreate): Promise<DirectoryEntry> {
    const generated = input.password === undefined ? generatePassword() : undefined;
    const customer = await this.storage.transaction(async () => {
      const c = await this.customers.create(ctx, input.customer);
      await this.credentials.setPassword(ctx, `id:${c.id}`, { password: input.password ?? generated });
      return c;
    });
    if (generated !== undefined && input.sendPassword) {
      // Mailed once the customer is committed; a failed send does not undo the account.
      this.storage.afterCommit(() => void this.mail.send({
        to: customer.email,
        subject: "Your new hosting account",
        text: `Your account has been created.\n\nLogin name: ${customer.login}\nPassword: ${generated}\n\nPlease change the password after your first login.\n`,
      }).catch(() => {}));
    }
    return this.entry(customer);
  }

  async update(ctx: Context, ref: string, input: PanelUpdate): Promise<DirectoryEntry> {
    authorize(ctx, CustomerOps.update);
    return this.storage.transaction(async () => {
      let current = await this.live(ctx, ref);
      const target = `id:${current.id}`;
      if (Object.keys(input.patch).length > 0) current = await this.customers.update(ctx, target, input.patch);
      if (input.ownerId !== undefined && input.ownerId !== current.owner_id) current = await this.customers.move(ctx, target, { owner_id: input.ownerId });
      if (input.active === false && (current.status === "active" || current.status === "locked" || current.status === "suspended")) {
        current = await this.lifecycle.transition(ctx, target, "deactivate", {});
      } else if (input.active === true && current.status in ACTIVATE_FROM) {
        current = await this.lifecycle.transition(ctx, target, ACTIVATE_FROM[current.status as keyof typeof ACTIVATE_FROM], {});
      }
      if (input.password !== undefined) await this.credentials.setPassword(ctx, target, { password: input.password });
      return this.entry(current);
    });
  }

  /** Hands the customer to another account (refused when it already belongs there). */
  async move(ctx: Context, ref: string, ownerId: number): Promise<DirectoryEntry> {
    return this.storage.transaction(async () => {
      const current = await this.live(ctx, ref);
      return this.entry(await this.customers.move(ctx, `id:${current.id}`, { owner_id: ownerId }));
    });
  }

  /** Deletes the customer; returns it as it was before the delete. */
  async delete(ctx: Context, ref: string): Promise<DirectoryEntry> {
    return this.storage.transaction(async () => {
      const before = await this.live(ctx, ref);
      await this.customers.delete(ctx, `id:${before.id}`);
      return this.entry(before);
    });
  }

  /** Lifts a lockout after failed logins; a customer that is not locked is returned unchanged. */
  async unlock(ctx: Context, ref: string): Promise<DirectoryEntry> {
    authorize(ctx, LifecycleOps.unlock);
    return this.storage.transaction(async () => {
      const current = await this.live(ctx, ref);
      if (current.status !== "locked") return this.entry(current);
      return this.entry(await this.lifecycle.transition(ctx, `id:${current.id}`, "unlock", {}));
    });
  }
}
