import type { CommandRunner } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { validationFailed } from "../../core/errors.js";
import { type PlanCommandDeps, PlanCommands } from "../../modules/plans/commands.js";
import type { Plan } from "../../modules/plans/schema.js";
import { type PanelCommandDeps, PanelCommands } from "../../modules/panel/commands.js";
import { DirectoryCommands, type UsageCommandDeps } from "../../modules/usage/commands.js";
import type { DirectoryEntry } from "../../modules/usage/directory.js";
import { type MethodTable, method } from "../kit/rpc.js";
import type { ErrorScene } from "./codes.js";
import { CUSTOMER_FIELDS, decodeCustomer, decodeSelfUpdate, encodeRow } from "./fields.js";
import { decodeOrder, decodePaging, decodeSearch } from "./listing.js";
import { customerLookup, missing, planLookup, requiredText } from "./params.js";
import { intval, phpBool, phpText } from "./php.js";

/**
 * Froxlor's commands (lib/Froxlor/Api/Commands/Customers.php, HostingPlans.php), each bound to
 * ONE command: decode the parameters, run, encode the answer `{"data": ...}`. Keys are
 * "Class.method" with the method part lower-cased (Froxlor matches it case-insensitively).
 * Froxlor.listFunctions is answered by the plugin from functions.ts.
 */

export type FroxlorCommandDeps = PlanCommandDeps & PanelCommandDeps & UsageCommandDeps;

export interface FroxlorDeps {
  commands: CommandRunner<FroxlorCommandDeps>;
}

export interface FroxlorCall {
  ctx: Context;
  deps: FroxlorDeps;
  /** Facts error texts may quote; methods fill in what they looked up. */
  scene: ErrorScene;
}

const isAdmin = (ctx: Context) => ctx.principal.kind !== "customer";

function rowOf(entry: DirectoryEntry, call: FroxlorCall): Record<string, unknown> {
  const admin = isAdmin(call.ctx);
  return encodeRow(entry.customer, {
    ...(admin ? { adminname: entry.ownerName } : { selfView: true }),
    ...(entry.usage ? { usage: entry.usage, showUsages: true } : {}),
  });
}

const data = (value: unknown) => ({ data: value });

function throwIssues(issues: { field: string; code: string; message: string }[]): void {
  if (issues.length > 0) throw validationFailed(issues);
}

function lookup(params: Record<string, unknown>, call: FroxlorCall, command: string): { ref: string } {
  const l = customerLookup(params, command);
  call.scene.lookup = { by: l.by, value: l.value };
  call.scene.object = "customer";
  return { ref: l.ref };
}

const passwordOf = (params: Record<string, unknown>): string | undefined => {
  const p = phpText(params.new_customer_password);
  return p === undefined || p === "" ? undefined : p;
};

const QUOTA_WIRE = Object.entries(CUSTOMER_FIELDS).filter(([, s]) => s.to.startsWith("resources.") && s.to !== "resources.hosting_plan_id");

/** A plan as a `panel_plans` row: its values under Froxlor's form names, as JSON text. */
export function planRow(p: Plan): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  const res = p.resources as Record<string, unknown>;
  for (const [wire, spec] of QUOTA_WIRE) {
    const v = res[spec.to.slice("resources.".length)];
    if (spec.unlimited) {
      value[wire] = v === -1 ? 0 : (v ?? 0);
      value[spec.unlimited] = v === -1 ? 1 : 0;
    } else if (typeof v === "boolean") value[wire] = v ? 1 : 0;
    else value[wire] = v ?? (spec.kind === "int_list" ? [] : 0);
  }
  return { id: p.id, adminid: p.owner_id, name: p.name, description: p.description, value: JSON.stringify(value), ts: Math.floor(Date.parse(p.updated_at) / 1000) };
}

function planResources(params: Record<string, unknown>, mode: "add" | "update"): Record<string, unknown> | undefined {
  const d = decodeCustomer(params, mode);
  throwIssues(d.issues);
  const r = d.fields.resources as Record<string, unknown> | undefined;
  if (r) delete r.hosting_plan_id;
  return r && Object.keys(r).length > 0 ? r : undefined;
}

const planTarget = (params: Record<string, unknown>, call: FroxlorCall, command: string) => {
  call.scene.object = "plan";
  return { ref: planLookup(params, command) };
};

export const METHODS: MethodTable<FroxlorCall> = {
  "Customers.listing": method({
    operation: DirectoryCommands.list.name,
    decode: (params: Record<string, unknown>) => {
      const paging = decodePaging(params);
      return { filters: decodeSearch(params.sql_search), ...(decodeOrder(params.sql_orderby) ? { sort: decodeOrder(params.sql_orderby) } : {}), limit: paging.limit, ...(paging.offset !== undefined ? { offset: paging.offset } : {}), with_usage: phpBool(params.show_usages) };
    },
    run: (input, { ctx, deps }: FroxlorCall) => deps.commands.execute(DirectoryCommands.list, ctx, input, undefined),
    encode: (entries: DirectoryEntry[], call) => data({ count: entries.length, list: entries.map((e) => rowOf(e, call)) }),
  }),
  "Customers.listingcount": method({
    operation: DirectoryCommands.count.name,
    decode: (params: Record<string, unknown>) => ({ filters: decodeSearch(params.sql_search) }),
    run: (input, { ctx, deps }: FroxlorCall) => deps.commands.execute(DirectoryCommands.count, ctx, input, undefined),
    encode: (n: number) => data(n),
  }),
  "Customers.get": method({
    operation: DirectoryCommands.get.name,
    decode: (params: Record<string, unknown>, call: FroxlorCall) => ({ target: lookup(params, call, "Customers:get"), with_usage: phpBool(params.show_usages) }),
    // Froxlor removes deleted customers; their Custos tombstones read as missing here.
    run: (input, { ctx, deps }: FroxlorCall) => deps.commands.execute(DirectoryCommands.get, ctx, { with_usage: input.with_usage, live: true }, input.target),
    encode: (entry: DirectoryEntry, call) => data(rowOf(entry, call)),
  }),
  "Customers.add": method({
    operation: PanelCommands.create.name,
    decode: (params: Record<string, unknown>) => {
      requiredText(params, "email", "Customers:add");
      const d = decodeCustomer(params, "add");
      throwIssues(d.issues);
      const password = passwordOf(params);
      return { customer: d.fields, sendPassword: phpBool(params.sendpassword), ...(password !== undefined ? { password } : {}) };
    },
    run: (input, { ctx, deps }: FroxlorCall) => deps.commands.execute(PanelCommands.create, ctx, input, undefined),
    encode: (entry: DirectoryEntry, call) => data(rowOf(entry, call)),
  }),
  "Customers.update": method({
    operation: PanelCommands.update.name,
    decode: (params: Record<string, unknown>, call: FroxlorCall) => {
      const target = lookup(params, call, "Customers:update");
      const password = passwordOf(params);
      if (!isAdmin(call.ctx)) {
        // A customer's own key changes only def_language, theme and the password; the rest is ignored.
        const d = decodeSelfUpdate(params);
        throwIssues(d.issues);
        return { target, input: { patch: d.fields, ...(password !== undefined ? { password } : {}) } };
      }
      const d = decodeCustomer(params, "update");
      throwIssues(d.issues);
      const moveTo = intval(params.move_to_admin);
      const deactivated = params.deactivated;
      return {
        target,
        input: {
          patch: d.fields,
          ...(password !== undefined ? { password } : {}),
          ...(deactivated !== undefined && deactivated !== null ? { active: !phpBool(deactivated) } : {}),
          ...(moveTo > 0 ? { ownerId: moveTo } : {}),
        },
      };
    },
    run: (d, { ctx, deps }: FroxlorCall) => deps.commands.execute(PanelCommands.update, ctx, d.input, d.target),
    encode: (entry: DirectoryEntry, call) => data(rowOf(entry, call)),
  }),
  "Customers.delete": method({
    operation: PanelCommands.delete.name,
    // delete_userfiles: Custos keeps no files; the flag is accepted and has nothing to act on.
    decode: (params: Record<string, unknown>, call: FroxlorCall) => lookup(params, call, "Customers:delete"),
    run: (target, { ctx, deps }: FroxlorCall) => deps.commands.execute(PanelCommands.delete, ctx, {}, target),
    encode: (entry: DirectoryEntry, call) => data(rowOf(entry, call)),
  }),
  "Customers.unlock": method({
    operation: PanelCommands.unlock.name,
    decode: (params: Record<string, unknown>, call: FroxlorCall) => lookup(params, call, "Customers:unlock"),
    run: (target, { ctx, deps }: FroxlorCall) => deps.commands.execute(PanelCommands.unlock, ctx, {}, target),
    encode: (entry: DirectoryEntry, call) => data({ ...rowOf(entry, call), loginfail_count: 0 }),
  }),
  "Customers.move": method({
    operation: PanelCommands.move.name,
    decode: (params: Record<string, unknown>, call: FroxlorCall) => {
      const target = lookup(params, call, "Customers:move");
      if (params.adminid === undefined || params.adminid === null) throw missing("adminid", "Customers:move");
      return { target, owner_id: intval(params.adminid) };
    },
    run: (d, { ctx, deps }: FroxlorCall) => deps.commands.execute(PanelCommands.move, ctx, { owner_id: d.owner_id }, d.target),
    encode: (entry: DirectoryEntry, call) => data(rowOf(entry, call)),
  }),
  "HostingPlans.listing": method({
    operation: PlanCommands.list.name,
    decode: (params: Record<string, unknown>) => {
      const search = params.sql_search as Record<string, unknown> | undefined;
      const name = search && typeof search === "object" ? phpText((search.name as { value?: unknown } | undefined)?.value ?? search.name) : undefined;
      return { limit: decodePaging(params).limit, ...(name ? { name } : {}) };
    },
    run: (q, { ctx, deps }: FroxlorCall) => deps.commands.execute(PlanCommands.list, ctx, q, undefined),
    encode: (page: { data: Plan[] }) => data({ count: page.data.length, list: page.data.map(planRow) }),
  }),
  "HostingPlans.listingcount": method({
    operation: PlanCommands.list.name,
    decode: () => ({ limit: 10_000 }),
    run: (q, { ctx, deps }: FroxlorCall) => deps.commands.execute(PlanCommands.list, ctx, q, undefined),
    encode: (page: { data: Plan[] }) => data(page.data.length),
  }),
  "HostingPlans.get": method({
    operation: PlanCommands.get.name,
    decode: (params: Record<string, unknown>, call: FroxlorCall) => planTarget(params, call, "HostingPlans:get"),
    run: (target, { ctx, deps }: FroxlorCall) => deps.commands.execute(PlanCommands.get, ctx, {}, target),
    encode: (p: Plan) => data(planRow(p)),
  }),
  "HostingPlans.add": method({
    operation: PlanCommands.create.name,
    decode: (params: Record<string, unknown>) => {
      const name = requiredText(params, "name", "HostingPlans:add");
      const description = phpText(params.description);
      const resources = planResources(params, "add");
      return { name, ...(description ? { description } : {}), ...(resources ? { resources } : {}) };
    },
    run: (input, { ctx, deps }: FroxlorCall) => deps.commands.execute(PlanCommands.create, ctx, input, undefined),
    encode: (p: Plan) => data(planRow(p)),
  }),
  "HostingPlans.update": method({
    operation: PlanCommands.update.name,
    decode: (params: Record<string, unknown>, call: FroxlorCall) => {
      const target = planTarget(params, call, "HostingPlans:update");
      const name = phpText(params.name);
      const description = phpText(params.description);
      const resources = planResources(params, "update");
      return { target, patch: { ...(name ? { name } : {}), ...(description !== undefined ? { description } : {}), ...(resources ? { resources } : {}) } };
    },
    run: (d, { ctx, deps }: FroxlorCall) => deps.commands.execute(PlanCommands.update, ctx, d.patch, d.target),
    encode: (p: Plan) => data(planRow(p)),
  }),
  "HostingPlans.delete": method({
    operation: PlanCommands.delete.name,
    decode: (params: Record<string, unknown>, call: FroxlorCall) => planTarget(params, call, "HostingPlans:delete"),
    run: (target, { ctx, deps }: FroxlorCall) => deps.commands.execute(PlanCommands.delete, ctx, {}, target),
    encode: (p: Plan) => data(planRow(p)),
  }),
};
