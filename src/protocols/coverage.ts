import type { Services } from "../app.js";
import { listOperations } from "../core/operations.js";
import { AccountCredentialEvents } from "../modules/credentials/account-operations.js";
import { CredentialEvents } from "../modules/credentials/operations.js";
import { restRoutes } from "./rest/server.js";
import { consoleBindings, consoleUnsupported } from "./console/coverage.js";
import { FROXLOR_UNSUPPORTED, froxlorBindings } from "./froxlor/coverage.js";
import { EVERLYTIC_UNSUPPORTED } from "./everlytic/coverage.js";
import { everlyticMethods } from "./everlytic/methods.js";
import { EVERLYTIC_REST_BINDINGS } from "./everlytic/rest.js";
import { INWX_UNSUPPORTED } from "./inwx/coverage.js";
import { inwxMethods } from "./inwx/methods.js";
import { OPENPROVIDER_BINDINGS, OPENPROVIDER_UNSUPPORTED } from "./openprovider/coverage.js";
import { OPENPROVIDER_PREFIX, openproviderRoutes } from "./openprovider/routes.js";
import { REST_BINDINGS, REST_UNSUPPORTED } from "./rest/coverage.js";
import { stackableUnsupported } from "./stackable/coverage.js";
import { stackableMethods } from "./stackable/methods.js";

/**
 * Which wire method runs which operation, per protocol, and why an operation a protocol does not
 * offer is left out. test/protocols/coverage-matrix.test.ts requires every operation to be bound or
 * refused with a reason on every protocol, and every method to name an operation;
 * `npm run docs:coverage` writes the table to docs/coverage.md.
 */

export interface ProtocolCoverage {
  protocol: string;
  /** Every wire method and the operation (or credential step) it runs; null when it names none. */
  bindings: readonly { method: string; operation: string | null }[];
  /** Operations the protocol does not offer, with the reason. */
  unsupported: Readonly<Record<string, string>>;
}

/** Steps that present or end a credential; they are not operations on an object but protocols bind them. */
export const CREDENTIAL_STEPS: readonly string[] = [CredentialEvents.login, CredentialEvents.logout, CredentialEvents.emailConfirm, AccountCredentialEvents.login, AccountCredentialEvents.logout];

/** Everything a protocol method may bind to: the operation registry plus the credential steps. */
export function coverageTargets(): string[] {
  return [...listOperations().map((o) => o.name), ...CREDENTIAL_STEPS].sort();
}

export function protocolCoverage(): ProtocolCoverage[] {
  // The tables are built without running anything, so no service is needed.
  const none = {} as Services;
  const rest = restRoutes(none).map((r) => {
    const method = `${r.method} ${r.url}`;
    return { method, operation: r.operation?.name ?? REST_BINDINGS[method] ?? null };
  });
  const extra = Object.entries(REST_BINDINGS)
    .filter(([method]) => !rest.some((r) => r.method === method))
    .map(([method, operation]) => ({ method, operation }));
  const inwx = Object.entries(inwxMethods({} as never)).map(([method, m]) => ({ method, operation: m.operation }));
  const stackable = Object.entries(stackableMethods({} as never)).map(([method, m]) => ({ method, operation: m.operation }));
  const openprovider = openproviderRoutes({} as never).map((r) => {
    const method = `${r.method} ${OPENPROVIDER_PREFIX}${r.url}`;
    return { method, operation: r.operation?.name ?? OPENPROVIDER_BINDINGS[method] ?? null };
  });
  const consoleApi = consoleBindings();
  const everlyticXmlRpc = Object.entries(everlyticMethods({} as never)).map(([method, m]) => ({ method: `customers.${method}`, operation: m.operation }));
  return [
    { protocol: "REST", bindings: [...rest, ...extra], unsupported: REST_UNSUPPORTED },
    { protocol: "INWX", bindings: inwx, unsupported: INWX_UNSUPPORTED },
    { protocol: "Froxlor", bindings: froxlorBindings(), unsupported: FROXLOR_UNSUPPORTED },
    { protocol: "Stackable", bindings: stackable, unsupported: stackableUnsupported(new Set(stackable.map((b) => b.operation))) },
    { protocol: "Openprovider", bindings: openprovider, unsupported: OPENPROVIDER_UNSUPPORTED },
    { protocol: "Everlytic REST", bindings: EVERLYTIC_REST_BINDINGS, unsupported: EVERLYTIC_UNSUPPORTED },
    { protocol: "Everlytic XML-RPC", bindings: everlyticXmlRpc, unsupported: EVERLYTIC_UNSUPPORTED },
    { protocol: "Console", bindings: consoleApi, unsupported: consoleUnsupported(new Set(consoleApi.map((b) => b.operation))) },
  ];
}

export type Cell = { kind: "bound"; methods: string[] } | { kind: "unsupported"; reason: string } | { kind: "missing" };

export function coverageMatrix(protocols = protocolCoverage()): { operation: string; cells: Cell[] }[] {
  return coverageTargets().map((operation) => ({
    operation,
    cells: protocols.map((p): Cell => {
      const methods = p.bindings.filter((b) => b.operation === operation).map((b) => b.method);
      if (methods.length > 0) return { kind: "bound", methods };
      const reason = p.unsupported[operation];
      return reason ? { kind: "unsupported", reason } : { kind: "missing" };
    }),
  }));
}

/** docs/coverage.md. */
export function renderCoverage(protocols = protocolCoverage()): string {
  const rows = coverageMatrix(protocols);
  const cell = (c: Cell) => (c.kind === "bound" ? c.methods.map((m) => `\`${m}\``).join("<br>") : c.kind === "unsupported" ? `— ${c.reason}` : "**MISSING**");
  return [
    "# Operation coverage by protocol",
    "",
    "Generated by `npm run docs:coverage` from the route and method tables (`src/protocols/coverage.ts`);",
    "test/protocols/coverage-matrix.test.ts fails when it is out of date, when an operation is neither bound nor",
    "refused with a reason on a protocol, or when a protocol method names no operation.",
    "",
    `| operation | ${protocols.map((p) => p.protocol).join(" | ")} |`,
    `|---|${protocols.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| \`${r.operation}\` | ${r.cells.map(cell).join(" | ")} |`),
    "",
  ].join("\n");
}
