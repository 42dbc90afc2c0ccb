import autocannon, { type Options, type Result } from "autocannon";
import { seededHandle } from "./data.js";

export const OPERATOR_KEY = "bench_operator_key_0123456789abcdefghijklmnop";

export interface Target {
  port: number;
  /** Position among the processes of one run, so instances work on disjoint customers. */
  index: number;
}

export interface ScenarioContext {
  size: number;
  connections: number;
  runId: string;
  target: Target;
}

export interface Scenario {
  name: string;
  description: string;
  /** Which ceiling the scenario is compared with: the point select (read) or the one-INSERT write. */
  kind?: "read" | "write";
  /** Connections in total for this scenario, instead of --connections (latency at one connection). */
  connections?: number;
  /** A reason the scenario cannot run against this build, or undefined. */
  unavailable?: () => string | undefined;
  /** Builds the autocannon request options for one process. */
  build(ctx: ScenarioContext): Promise<Partial<Options>>;
}

const auth = { authorization: `Bearer ${OPERATOR_KEY}` };
const json = { ...auth, "content-type": "application/json" };
const randomId = (size: number) => 1 + Math.floor(Math.random() * size);

export const CEILING: Scenario = {
  name: "ceiling_get_id",
  description: "bare Fastify + driver: select * from customers where id = ?",
  async build({ size }) {
    return { requests: [{ method: "GET", setupRequest: (r) => ({ ...r, path: `/c/${randomId(size)}` }) }] };
  },
};

export const WRITE_CEILING: Scenario = {
  name: "ceiling_write",
  kind: "write",
  description: "bare Fastify + driver: parse the JSON body, one INSERT into customers in its own transaction, 201",
  async build({ runId, target }) {
    let n = 0;
    return { requests: [{ method: "POST", path: "/w", headers: { "content-type": "application/json" }, setupRequest: (r) => ({ ...r, body: createBody(`${runId}-w${target.index}-${n++}`) }) }] };
  },
};

async function readVersion(port: number, id: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/customers/${id}`, { headers: auth });
  if (!res.ok) throw new Error(`GET /v1/customers/${id}: ${res.status}`);
  const m = /"v(\d+)"/.exec(res.headers.get("etag") ?? "");
  return m ? Number(m[1]) : ((await res.json()) as { version: number }).version;
}

export const SCENARIOS: Scenario[] = [
  {
    name: "get_id",
    description: "GET /v1/customers/:id, random ids",
    async build({ size }) {
      return { requests: [{ method: "GET", headers: auth, setupRequest: (r) => ({ ...r, path: `/v1/customers/${randomId(size)}` }) }] };
    },
  },
  {
    name: "get_handle",
    description: "GET /v1/customers/:handle, random seeded handles",
    async build({ size }) {
      return { requests: [{ method: "GET", headers: auth, setupRequest: (r) => ({ ...r, path: `/v1/customers/${seededHandle(randomId(size))}` }) }] };
    },
  },
  {
    name: "create",
    kind: "write",
    description: "POST /v1/customers, no Idempotency-Key",
    async build({ runId, target }) {
      let n = 0;
      return {
        requests: [
          {
            method: "POST",
            path: "/v1/customers",
            headers: json,
            setupRequest: (r) => ({ ...r, body: createBody(`${runId}-${target.index}-${n++}`) }),
          },
        ],
      };
    },
  },
  {
    name: "create_idem",
    kind: "write",
    description: "POST /v1/customers with a fresh Idempotency-Key each",
    async build({ runId, target }) {
      let n = 0;
      return {
        requests: [
          {
            method: "POST",
            path: "/v1/customers",
            setupRequest: (r) => {
              const tag = `${runId}-k${target.index}-${n++}`;
              return { ...r, headers: { ...json, "idempotency-key": tag }, body: createBody(tag) };
            },
          },
        ],
      };
    },
  },
  {
    name: "patch",
    kind: "write",
    description: "PATCH /v1/customers/:id with If-Match; each in-flight request owns its customer",
    async build({ size, connections, target }) {
      // A pool of customers with known versions: a request takes one and gives it back with the
      // version its response carries, so concurrent requests never race on one row (no 412s).
      const poolSize = Math.min(size, connections * 3);
      const first = 1 + target.index * poolSize;
      const free: { id: number; version: number }[] = [];
      for (let id = first; id < first + poolSize && id <= size; id++) free.push({ id, version: await readVersion(target.port, id) });
      let n = 0;
      return {
        requests: [
          {
            method: "PATCH",
            setupRequest: (r, context) => {
              const c = free.shift();
              if (!c) return r;
              (context as { customer?: unknown }).customer = c;
              return {
                ...r,
                path: `/v1/customers/${c.id}`,
                headers: { ...json, "if-match": `"v${c.version}"` },
                body: JSON.stringify({ city: `Bench ${n++}` }),
              };
            },
            onResponse: (status, body, context) => {
              const c = (context as { customer?: { id: number; version: number } }).customer;
              if (!c) return;
              if (status >= 200 && status < 300) free.push({ id: c.id, version: (JSON.parse(body) as { version: number }).version });
              else if (status === 412) readVersion(target.port, c.id).then((version) => free.push({ id: c.id, version }), () => {});
            },
          },
        ],
      };
    },
  },
  {
    name: "list_prefix",
    description: "GET /v1/customers?filter[last_name][prefix]=Sm&sort=last_name&limit=25",
    async build() {
      return { requests: [{ method: "GET", headers: auth, path: "/v1/customers?filter%5Blast_name%5D%5Bprefix%5D=Sm&sort=last_name&limit=25" }] };
    },
  },
  {
    name: "list_prefix_1c",
    description: "the list_prefix page at one connection (latency without queueing)",
    connections: 1,
    async build() {
      return { requests: [{ method: "GET", headers: auth, path: "/v1/customers?filter%5Blast_name%5D%5Bprefix%5D=Sm&sort=last_name&limit=25" }] };
    },
  },
  {
    name: "count_filter",
    description: "GET /v1/customers/count?filter[country]=NL",
    async build() {
      return { requests: [{ method: "GET", headers: auth, path: "/v1/customers/count?filter%5Bcountry%5D=NL" }] };
    },
  },
  {
    name: "inwx_customer_info",
    description: "POST /jsonrpc customer.info in a DomRobot session (customer logged in once per process)",
    async build({ target }) {
      // A seeded customer gets a password, logs in once, and the session cookie is reused.
      const id = 1 + target.index;
      const base = `http://127.0.0.1:${target.port}`;
      const pass = "Bench-Pass-2026-xyzzy!";
      const set = await fetch(`${base}/v1/customers/${id}/password`, { method: "PUT", headers: json, body: JSON.stringify({ password: pass }) });
      if (!set.ok) throw new Error(`PUT /v1/customers/${id}/password: ${set.status} ${await set.text()}`);
      const rpc = (method: string, params: object, cookie?: string) =>
        fetch(`${base}/jsonrpc`, { method: "POST", headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ method, params }) });
      const login = await rpc("account.login", { user: `cust${id}`, pass });
      const body = (await login.json()) as { code: number; msg?: string };
      const cookie = /domrobot=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0];
      if (body.code !== 1000 || !cookie) throw new Error(`account.login answered ${body.code} ${body.msg ?? ""}`);
      const probe = (await (await rpc("customer.info", {}, cookie)).json()) as { code: number };
      if (probe.code !== 1000) throw new Error(`customer.info answered ${probe.code}`);
      return { requests: [{ method: "POST", path: "/jsonrpc", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ method: "customer.info", params: {} }) }] };
    },
  },
  {
    name: "usage_batch",
    description: "POST /v1/usage, 100 samples per request (random customers, a new sample time per request)",
    async build({ size, runId, target }) {
      let n = 0;
      // Each process and request gets its own millisecond, so every sample is new (no duplicates).
      const base = Date.parse("2026-01-01T00:00:00Z") + target.index * 1e9 + (Number.parseInt(runId.replace(/\D/g, "").slice(-6) || "0", 10) % 1000) * 1e6;
      return {
        requests: [
          {
            method: "POST",
            path: "/v1/usage",
            headers: json,
            setupRequest: (r) => {
              const at = new Date(base + n++).toISOString();
              const samples = Array.from({ length: 100 }, (_, i) => ({ customer_id: randomId(size), resource: i % 2 === 0 ? "webspace_mb" : "traffic_gb", value: i, sampled_at: at }));
              return { ...r, body: JSON.stringify({ samples }) };
            },
          },
        ],
      };
    },
  },
  {
    name: "froxlor_customers_get",
    description: "POST /api.php Customers.get by random id (Basic key:secret)",
    async build({ size }) {
      const basic = `Basic ${Buffer.from(`custos:${OPERATOR_KEY}`).toString("base64")}`;
      return {
        requests: [
          {
            method: "POST",
            path: "/api.php",
            headers: { authorization: basic, "content-type": "application/json" },
            setupRequest: (r) => ({ ...r, body: JSON.stringify({ command: "Customers.get", params: { id: randomId(size) } }) }),
          },
        ],
      };
    },
  },
];

function createBody(tag: string): string {
  return JSON.stringify({ email: `bench.${tag}@example.com`, first_name: "Bench", last_name: "Load", country: "NL", phone: "+31201234567" });
}

export interface LoadFigures {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Responses per HTTP status, summed over the instances. */
  statuses: Record<string, number>;
}

export interface LoadOptions {
  duration: number;
  connections: number;
  label: string;
  onProgress?: (line: string) => void;
}

/**
 * Drives every target at once with its own autocannon instance (connections split between them)
 * and sums the figures. p50 is the request-weighted mean of the instances' medians and p99 the
 * worst instance's, as the percentile histograms themselves are not merged.
 */
export async function drive(targets: Target[], scenario: Scenario, ctx: Omit<ScenarioContext, "target" | "connections">, opts: LoadOptions): Promise<LoadFigures> {
  const per = Math.max(1, Math.floor(opts.connections / targets.length));
  const built = await Promise.all(targets.map((target) => scenario.build({ ...ctx, connections: per, target })));
  let done = 0;
  const started = Date.now();
  const timer = setInterval(() => {
    const s = (Date.now() - started) / 1000;
    opts.onProgress?.(`${opts.label} ${s.toFixed(0)}/${opts.duration}s ${done} req ${(done / Math.max(s, 0.001)).toFixed(0)} req/s`);
  }, 1000);
  try {
    const results = await Promise.all(
      targets.map(
        (t, i) =>
          new Promise<Result>((resolve, reject) => {
            const instance = autocannon({ url: `http://127.0.0.1:${t.port}`, connections: per, duration: opts.duration, timeout: 10, ...built[i] }, (err, result) =>
              err ? reject(err) : resolve(result),
            );
            instance.on("response", () => {
              done++;
            });
          }),
      ),
    );
    const total = results.reduce((a, r) => a + r.requests.total, 0);
    return {
      requests: total,
      rps: results.reduce((a, r) => a + r.requests.total / Math.max(r.duration, 0.001), 0),
      p50: total === 0 ? 0 : results.reduce((a, r) => a + r.latency.p50 * r.requests.total, 0) / total,
      p99: Math.max(...results.map((r) => r.latency.p99)),
      non2xx: results.reduce((a, r) => a + r.non2xx, 0),
      errors: results.reduce((a, r) => a + r.errors, 0),
      timeouts: results.reduce((a, r) => a + r.timeouts, 0),
      statuses: results.reduce<Record<string, number>>((acc, r) => {
        for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) acc[code] = (acc[code] ?? 0) + (v as { count: number }).count;
        return acc;
      }, {}),
    };
  } finally {
    clearInterval(timer);
  }
}
