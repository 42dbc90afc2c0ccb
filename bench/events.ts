import type { ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { OPERATOR_KEY } from "./load.js";

/**
 * Events delivered per second: N events are queued through the API with the dispatcher off, then
 * Custos processes start with it on and deliver them to a local receiver that answers 200 at
 * once. The rate runs from the first delivery to the last, so process start-up is not counted.
 */
export interface EventBenchOptions {
  count: number;
  processes: number;
  /** Spawns a Custos process on `port` with extra environment. */
  spawnCustos(port: number, env: Record<string, string>): ChildProcess;
  nextPort(): number;
  waitReady(port: number, child: ChildProcess): Promise<void>;
  stop(child: ChildProcess): Promise<void>;
  onProgress(line: string): void;
}

export interface EventBenchResult {
  events: number;
  seconds: number;
  perSecond: number;
  duplicates: number;
}

const auth = { authorization: `Bearer ${OPERATOR_KEY}`, "content-type": "application/json" };

async function call(port: number, method: string, path: string, body?: unknown): Promise<{ id: number }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: auth, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res.status === 204 ? { id: 0 } : ((await res.json()) as { id: number });
}

export async function benchEventDelivery(o: EventBenchOptions): Promise<EventBenchResult> {
  const seen = new Set<string>();
  let received = 0;
  let first = 0;
  let last = 0;
  const receiver = createServer((req, res) => {
    const id = String(req.headers["custos-event-id"]);
    const type = String(req.headers["custos-event-type"]);
    req.resume();
    req.on("end", () => {
      if (type === "customer.updated") {
        received++;
        seen.add(id);
        last = Date.now();
        if (first === 0) first = last;
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/bench`;
  const env = { CUSTOS_WEBHOOK_ALLOW_PRIVATE: "true", CUSTOS_EVENTS_POLL_MS: "50" };
  let endpoint = 0;
  try {
    // Queue: one process, dispatcher off.
    const setupPort = o.nextPort();
    const setup = o.spawnCustos(setupPort, { ...env, CUSTOS_EVENTS_DISPATCH: "false" });
    try {
      await o.waitReady(setupPort, setup);
      endpoint = (await call(setupPort, "POST", "/v1/webhook-endpoints", { url: hook, event_types: ["customer.updated"], description: "bench" })).id;
      const customer = (await call(setupPort, "POST", "/v1/customers", { email: `events.${Date.now().toString(36)}@bench.example`, company: "Events bench" })).id;
      let queued = 0;
      const writer = async () => {
        while (queued < o.count) {
          queued++;
          await call(setupPort, "PATCH", `/v1/customers/${customer}`, { city: `City ${queued}` });
          if (queued % 250 === 0) o.onProgress(`events: queued ${queued}/${o.count}`);
        }
      };
      // One customer, one writer: every PATCH is one event, without version conflicts.
      await writer();
    } finally {
      await o.stop(setup);
    }
    // Deliver: the dispatcher in each process.
    const children: ChildProcess[] = [];
    const ports: number[] = [];
    try {
      for (let i = 0; i < o.processes; i++) {
        ports.push(o.nextPort());
        children.push(o.spawnCustos(ports[i] ?? 0, env));
      }
      const deadline = Date.now() + 10 * 60_000;
      while (seen.size < o.count && Date.now() < deadline) {
        o.onProgress(`events: delivered ${seen.size}/${o.count}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // Leave the reused database without a dangling endpoint.
      const port = ports[0];
      const child = children[0];
      if (port !== undefined && child) {
        await o.waitReady(port, child);
        await call(port, "DELETE", `/v1/webhook-endpoints/${endpoint}`);
      }
    } finally {
      for (const c of children) await o.stop(c);
    }
  } finally {
    await new Promise<void>((r) => receiver.close(() => r()));
  }
  const seconds = Math.max(0.001, (last - first) / 1000);
  return { events: seen.size, seconds, perSecond: seen.size > 1 ? (seen.size - 1) / seconds : 0, duplicates: received - seen.size };
}
