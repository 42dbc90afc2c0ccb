import type { Command } from "commander";
import type { PrincipalKind } from "../core/context.js";
import { type OutputFormat, print, withRuntime } from "./runtime.js";

const KEY_COLUMNS = ["id", "prefix", "name", "principal.kind", "principal.id", "roles", "expires_at", "revoked_at", "last_used_at"];
const collect = (value: string, previous: string[]) => [...previous, value];

/** `operator:1`, `reseller:2`, `customer:7` */
function parsePrincipal(value: string): { kind: PrincipalKind; id: number } {
  const m = /^(operator|reseller|customer):(\d+)$/.exec(value);
  if (!m) throw new Error(`--for expects operator:<id>, reseller:<id> or customer:<id>, got "${value}"`);
  return { kind: m[1] as PrincipalKind, id: Number(m[2]) };
}

/** `custos keys create|list|revoke`: ApiKeyService, as POST/GET/DELETE /v1/api-keys call it. */
export function keysCommand(program: Command, format: () => OutputFormat): void {
  const keys = program.command("keys").description("API keys: create (secret shown once), list, revoke");

  keys
    .command("create")
    .description("issue an API key; the secret is printed once and never again")
    .requiredOption("-n, --name <name>", "what the key is for")
    .option("--for <kind:id>", "whom the key acts as (default: the operator)")
    .option("-r, --role <role>", "owner, billing, technical, read-only (repeatable; default owner)", collect, [])
    .option("--expires <iso>", "expiry, e.g. 2027-01-01T00:00:00Z")
    .action(async (opts: { name: string; for?: string; role: string[]; expires?: string }) => {
      await withRuntime(async ({ app, ctx }) => {
        const input: Record<string, unknown> = { name: opts.name };
        if (opts.for) input.principal = parsePrincipal(opts.for);
        if (opts.role.length > 0) input.roles = opts.role;
        if (opts.expires) input.expires_at = opts.expires;
        print(await app.services.keys.create(ctx, input), format());
      });
    });

  keys
    .command("list")
    .description("list keys (never their secrets)")
    .option("--for <kind:id>", "only keys acting as this principal")
    .option("--kind <kind>", "only keys of operators, resellers or customers")
    .option("--revoked", "include revoked keys")
    .option("-l, --limit <n>", "how many", "100")
    .action(async (opts: { for?: string; kind?: string; revoked?: boolean; limit: string }) => {
      await withRuntime(async ({ app, ctx }) => {
        const p = opts.for ? parsePrincipal(opts.for) : undefined;
        const kind = p?.kind ?? (opts.kind as PrincipalKind | undefined);
        const page = await app.services.keys.list(ctx, {
          limit: Math.min(1000, Math.max(1, Number(opts.limit) || 100)),
          includeRevoked: opts.revoked === true,
          ...(kind ? { principalKind: kind } : {}),
          ...(p ? { principalId: p.id } : {}),
        });
        if (format() === "json") print(page, "json");
        else print(page.data, "table", KEY_COLUMNS);
      });
    });

  keys
    .command("revoke <id>")
    .description("revoke a key; it stops working at once, in every process")
    .action(async (id: string) => {
      await withRuntime(async ({ app, ctx }) => print(await app.services.keys.revoke(ctx, Number(id)), format()));
    });
}

/** `custos resellers create|list|get`: AccountService, as /v1/resellers calls it. */
export function resellersCommand(program: Command, format: () => OutputFormat): void {
  const resellers = program.command("resellers").description("reseller accounts: create, list, get");

  resellers
    .command("create")
    .description("create a reseller account")
    .requiredOption("-n, --name <name>", "display name")
    .requiredOption("-e, --email <email>", "contact address")
    .action(async (opts: { name: string; email: string }) => {
      await withRuntime(async ({ app, ctx }) => print(await app.services.accounts.createReseller(ctx, { name: opts.name, email: opts.email }), format()));
    });

  resellers
    .command("list")
    .description("list resellers, newest first")
    .option("-l, --limit <n>", "how many", "100")
    .action(async (opts: { limit: string }) => {
      await withRuntime(async ({ app, ctx }) => {
        const page = await app.services.accounts.listResellers(ctx, { limit: Math.min(1000, Math.max(1, Number(opts.limit) || 100)) });
        if (format() === "json") print(page, "json");
        else print(page.data, "table", ["id", "name", "email", "status", "created_at"]);
      });
    });

  resellers
    .command("get <id>")
    .description("read one reseller")
    .action(async (id: string) => {
      await withRuntime(async ({ app, ctx }) => print(await app.services.accounts.getReseller(ctx, Number(id)), format()));
    });
}
