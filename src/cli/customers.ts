import type { Command } from "commander";
import { CustomerCommands } from "../modules/customers/commands.js";
import type { RawFilter } from "../modules/customers/schema.js";
import { type OutputFormat, pairsToObject, print, readJsonArgument, withRuntime, io } from "./runtime.js";

const LIST_COLUMNS = ["id", "handle", "login", "email", "full_name", "company", "country", "status"];

/** `--filter country=NL`, `--filter email:prefix=jane`, `--filter status:in=active,suspended`. */
export function parseFilters(values: readonly string[]): RawFilter[] {
  return values.map((v) => {
    const eq = v.indexOf("=");
    if (eq <= 0) throw new Error(`--filter expects field[:op]=value, got "${v}"`);
    const [field = "", op = "eq"] = v.slice(0, eq).split(":");
    return { field, op, value: v.slice(eq + 1) };
  });
}

const collect = (value: string, previous: string[]) => [...previous, value];

async function payload(opts: { data?: string; set: string[] }): Promise<Record<string, unknown>> {
  const base = opts.data !== undefined ? await readJsonArgument(opts.data) : {};
  return { ...(base as Record<string, unknown>), ...pairsToObject(opts.set) };
}

/** `custos customers list|get|create|update|delete`: CustomerService, as the REST API calls it. */
export function customersCommand(program: Command, format: () => OutputFormat): void {
  const customers = program.command("customers").description("list, read, create, change and delete customers");

  customers
    .command("list")
    .description("list customers (same filters and sort as GET /v1/customers)")
    .option("-f, --filter <field[:op]=value>", "filter; op: eq ne lt lte gt gte prefix like in (repeatable)", collect, [])
    .option("-s, --sort <keys>", "sort keys, e.g. -created_at,last_name")
    .option("-l, --limit <n>", "page size (1-1000)", "25")
    .option("--after <cursor>", "continue after this cursor (printed as next_cursor)")
    .option("--deleted", "include deleted customers (tombstones)")
    .option("--total", "also count every match")
    .action(async (opts: { filter: string[]; sort?: string; limit: string; after?: string; deleted?: boolean; total?: boolean }) => {
      await withRuntime(async ({ app, ctx }) => {
        const svc = app.services.customers;
        const query = svc.parseListQuery({
          filters: parseFilters(opts.filter),
          sort: opts.sort,
          limit: Math.min(1000, Math.max(1, Number(opts.limit) || 25)),
          startingAfter: opts.after,
          includeTotal: opts.total === true,
          includeDeleted: opts.deleted === true,
        });
        const page = await svc.list(ctx, query);
        if (format() === "json") return print(page, "json");
        print(page.data, "table", LIST_COLUMNS);
        const more = page.has_more ? ` — more: --after ${page.next_cursor}` : "";
        io.err(`${page.data.length} shown${page.total !== undefined ? ` of ${page.total}` : ""}${more}\n`);
      });
    });

  customers
    .command("get <ref>")
    .description("read one customer by id, handle, login, e-mail, number:<n> or external:<id>")
    .action(async (ref: string) => {
      await withRuntime(async ({ app, ctx }) => print(await app.services.commands.execute(CustomerCommands.get, ctx, {}, { ref }), format()));
    });

  customers
    .command("create")
    .description("create a customer from --data JSON and/or --set field=value pairs")
    .option("-d, --data <json>", "JSON object, @file or - for stdin")
    .option("--set <field=value>", "one field (repeatable)", collect, [])
    .action(async (opts: { data?: string; set: string[] }) => {
      await withRuntime(async ({ app, ctx }) => print(await app.services.commands.execute(CustomerCommands.create, ctx, await payload(opts), undefined), format()));
    });

  customers
    .command("update <ref>")
    .description("change fields of a customer (null clears an optional field)")
    .option("-d, --data <json>", "JSON object, @file or - for stdin")
    .option("--set <field=value>", "one field (repeatable)", collect, [])
    .option("--if-version <n>", "refuse unless the customer is at this version")
    .action(async (ref: string, opts: { data?: string; set: string[]; ifVersion?: string }) => {
      await withRuntime(async ({ app, ctx }) => {
        const target = opts.ifVersion === undefined ? { ref } : { ref, expectedVersion: Number(opts.ifVersion) };
        print(await app.services.commands.execute(CustomerCommands.update, ctx, await payload(opts), target), format());
      });
    });

  customers
    .command("delete <ref>")
    .description("delete a customer (leaves a tombstone; purge removes it)")
    .option("--purge", "remove the customer and everything it owns for good")
    .action(async (ref: string, opts: { purge?: boolean }) => {
      await withRuntime(async ({ app, ctx }) => {
        if (opts.purge) {
          await app.services.commands.execute(CustomerCommands.purge, ctx, {}, { ref });
          io.out(format() === "json" ? `${JSON.stringify({ purged: ref })}\n` : `purged ${ref}\n`);
        } else {
          print(await app.services.commands.execute(CustomerCommands.delete, ctx, {}, { ref }), format());
        }
      });
    });
}
