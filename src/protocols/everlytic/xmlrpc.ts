import type { FastifyInstance } from "fastify";
import { xmlRpcPositionalCodec } from "../kit/codec.js";
import { registerRpc } from "../kit/endpoint.js";
import { frameworkError } from "../kit/errors.js";
import { createDispatcher, UnknownMethod } from "../kit/rpc.js";
import type { RequestAuthenticator } from "../shared/auth.js";
import { everlyticContext } from "./auth.js";
import { errorMessage, EVERLYTIC_ERRORS, UNKNOWN_METHOD } from "./codes.js";
import { type EverlyticDeps, type EverlyticResult, everlyticMethods } from "./methods.js";

export interface EverlyticXmlRpcDeps extends EverlyticDeps {
  requestAuth: RequestAuthenticator;
}

/** What each method answers over XML-RPC (seed 004 signatures), for system.methodSignature and methodHelp too. */
const SIGNATURES: Record<string, { signature: string[]; help: string; answer(result: EverlyticResult): unknown }> = {
  CreateCustomer: { signature: ["int", "struct"], help: "CreateCustomer(struct $properties) : int - creates a customer (name and email required), returns its id", answer: (r) => ("item" in r ? r.item.id : null) },
  GetCustomer: { signature: ["struct", "int"], help: "GetCustomer(int $id) : struct - the customer's properties", answer: (r) => ("item" in r ? r.item : null) },
  UpdateCustomer: { signature: ["int", "int", "struct"], help: "UpdateCustomer(int $id, struct $properties) : int - changes the properties sent (status runs the life-cycle transition), returns the id", answer: (r) => ("item" in r ? r.item.id : null) },
  DeleteCustomer: { signature: ["int", "int"], help: "DeleteCustomer(int $id) : int - deletes the customer (status deleted, deleted yes), returns its id", answer: (r) => ("item" in r ? r.item.id : null) },
  ListCustomers: {
    signature: ["array", "int", "int", "string", "string", "struct"],
    help: "ListCustomers(int $page = 1, int $count = 50, string $order = '', string $direction = 'ASC', struct $filter = []) : array",
    answer: (r) => ("collection" in r ? r.collection : []),
  },
};

const PREFIX = "customers.";
const SYSTEM = ["system.listMethods", "system.methodSignature", "system.methodHelp"];

/** The wire name without Everlytic's `customers.` prefix: the SDK sends it, the docs leave it out. */
const bare = (name: unknown): string => (typeof name === "string" && name.startsWith(PREFIX) ? name.slice(PREFIX.length) : String(name ?? ""));

/**
 * Everlytic XML-RPC at /api/2.0/xmlrpc/ (with or without the slash) on the kit: the positional
 * XML-RPC codec, the method table REST uses too, Basic auth. Every answer is HTTP 200: the value,
 * or a <fault> whose faultCode is the REST status of the error (codes.ts).
 */
export async function everlyticXmlRpcPlugin(app: FastifyInstance, deps: EverlyticXmlRpcDeps): Promise<void> {
  const dispatch = createDispatcher(everlyticMethods(deps));
  const lookup = (name: unknown) => {
    const b = bare(name);
    if (!Object.hasOwn(SIGNATURES, b)) throw new UnknownMethod(String(name ?? ""));
    return { name: b, sig: SIGNATURES[b] as (typeof SIGNATURES)[string] };
  };

  registerRpc(app, {
    endpoints: [{ path: "/xmlrpc", codec: xmlRpcPositionalCodec }],
    async answer({ method, params }, request) {
      const ctx = await everlyticContext(deps.requestAuth, request, "everlytic-xmlrpc");
      if (method === "system.listMethods") return { value: [...Object.keys(SIGNATURES).flatMap((m) => [`${PREFIX}${m}`, m]), ...SYSTEM] };
      if (method === "system.methodSignature") return { value: [lookup(params["0"]).sig.signature] };
      if (method === "system.methodHelp") return { value: lookup(params["0"]).sig.help };
      const { name, sig } = lookup(method);
      return { value: sig.answer((await dispatch(name, params, { ctx })) as EverlyticResult) };
    },
    fail(error, request) {
      if (error instanceof UnknownMethod) return { fault: { faultCode: UNKNOWN_METHOD, faultString: `Unknown method ${error.method.slice(0, 100)}` } };
      const e = frameworkError(error);
      if (e.code === "internal") request.log.error({ err: error, requestId: request.id }, "everlytic call failed");
      const faultString = e.code === "internal" ? "Internal error; the X-Request-Id identifies it in our logs" : errorMessage(e.message, e.issues);
      return { fault: { faultCode: EVERLYTIC_ERRORS[e.code], faultString } };
    },
  });
}

