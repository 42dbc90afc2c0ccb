import { systemContext } from "../../src/core/context.js";
import type { TestServer } from "./harness.js";

/** A principal with a working API key. */
export interface Actor {
  kind: "operator" | "reseller" | "customer";
  id: number;
  keyId: number;
  key: string;
}

/**
 * Builds tenants straight through the domain services (protocol-independent), so any protocol's
 * tests can share it: resellers, customers under them, keys for each.
 */
export class World {
  private n = 0;
  constructor(readonly server: TestServer) {}

  private get services() {
    return this.server.app.services;
  }

  async reseller(name = "Reseller"): Promise<Actor> {
    const i = ++this.n;
    const a = await this.services.accounts.createReseller(systemContext("test"), { name: `${name} ${i}`, email: `reseller${i}.${Date.now()}@tenancy.example` });
    return this.keyFor("reseller", a.id);
  }

  async customer(ownerId: number): Promise<Actor> {
    const i = ++this.n;
    const c = await this.services.customers.create(systemContext("test"), { email: `c${i}.${Math.random().toString(36).slice(2, 8)}@tenancy.example`, company: `Tenant Co ${i}`, owner_id: ownerId });
    return this.keyFor("customer", c.id);
  }

  async keyFor(kind: Actor["kind"], id: number, roles: string[] = ["owner"], extra: Record<string, unknown> = {}): Promise<Actor> {
    const k = await this.services.keys.create(systemContext("test"), { name: `${kind} ${id} key`, roles, principal: { kind, id }, ...extra });
    return { kind, id, keyId: k.id, key: k.secret };
  }

  /** Operator account id (the bootstrap operator). */
  async operatorId(): Promise<number> {
    const row = await this.server.app.storage.db.selectFrom("accounts").select("id").where("kind", "=", "operator").orderBy("id").executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** Suspends a customer the way an operator does (its keys and sessions stop working). */
  /** Switches the customer's api_allowed off (API keys and API sessions must stop). */
  async disableApi(customerId: number): Promise<void> {
    await this.services.customers.update(systemContext("test"), `id:${customerId}`, { api_allowed: false });
  }

  async suspend(customerId: number): Promise<void> {
    await this.services.lifecycle.transition(systemContext("test"), `id:${customerId}`, "suspend", { reason: "security suite" });
  }

  /** Test-only shortcut: make a key expired without waiting. */
  async expire(keyId: number): Promise<void> {
    await this.server.app.storage.db.updateTable("api_keys").set({ expires_at: "2000-01-01T00:00:00.000Z" }).where("id", "=", keyId).execute();
    this.services.apiKeys.invalidate();
  }
}
