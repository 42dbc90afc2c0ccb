import type { TestServer } from "../helpers/harness.js";
import { OPERATOR_KEY } from "../helpers/harness.js";

/**
 * The Froxlor entry of the shared fuzz corpus (test/security/fuzz.security.test.ts, FUZZ_TARGETS):
 * every corpus string in the parameters api.php reads, in the route form, and as credentials;
 * every corpus body as the raw api.php body. Typed by shape so it plugs in without an import cycle.
 */
export interface FroxlorFuzzCorpus {
  strings: readonly string[];
  bodies: readonly { label: string; json?: string | Buffer }[];
}

const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
const operator = basic("custos", OPERATOR_KEY);

async function post(server: TestServer, body: string | Buffer, authorization: string | null, query = ""): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== null) headers.authorization = authorization;
  const r = await fetch(`${server.url}/api.php${query}`, { method: "POST", headers, body });
  return { status: r.status, text: await r.text() };
}

export function froxlorFuzz(corpus: FroxlorFuzzCorpus) {
  return {
    name: "Froxlor api.php",
    async *run(server: TestServer, fixtures: { customerId: number }): AsyncGenerator<{ what: string; status: number; text: string }> {
      for (const v of corpus.strings) {
        const calls: [string, Record<string, unknown>][] = [
          ["Customers.get", { loginname: v }],
          ["Customers.get", { id: v }],
          ["Customers.listing", { sql_search: { loginname: v, [v]: v, email: { op: "in", value: [v] } }, sql_orderby: { [v]: v }, sql_limit: v }],
          ["Customers.listingCount", { sql_search: { "c.loginname": { op: "<>", value: v } } }],
          ["Customers.add", { email: `${v}@fuzz.example`, company: v, new_loginname: v, new_customer_password: v, diskspace: v, allowed_phpconfigs: [v] }],
          ["Customers.update", { id: fixtures.customerId, name: v, def_language: v, deactivated: v, move_to_admin: v }],
          ["HostingPlans.get", { planname: v }],
          ["HostingPlans.add", { name: v, description: v }],
          ["Froxlor.listFunctions", { module: v, function: v }],
          [v, {}],
        ];
        for (const [command, params] of calls) {
          const r = await post(server, JSON.stringify({ command, params }), operator);
          yield { what: `api.php ${command.slice(0, 40)} ${JSON.stringify(params).slice(0, 60)}`, ...r };
        }
        const routed = await post(server, JSON.stringify({ loginname: v }), operator, `?/customers/get/${Buffer.from(v.slice(0, 200)).toString("base64url")}`);
        yield { what: "api.php route form", ...routed };
        const legacy = await post(server, JSON.stringify({ header: { apikey: v, secret: v }, body: { command: "Customers.get", params: { loginname: v } } }), null);
        yield { what: "api.php 0.10 envelope", ...legacy };
        const creds = await post(server, JSON.stringify({ command: "Customers.listing" }), basic(v.slice(0, 1000), v.slice(0, 1000)));
        yield { what: "api.php Basic credentials", ...creds };
      }
      for (const b of corpus.bodies) {
        if (b.json === undefined) continue;
        const r = await post(server, b.json, operator);
        yield { what: `api.php body ${b.label}`, ...r };
      }
    },
  };
}
