import { intval, phpText } from "./php.js";

/**
 * Froxlor's parameter rules (ApiParameter.php): a required parameter that is absent or null is a
 * 404, one that is "" a 406, each with Froxlor's exact text naming the parameter and command.
 */
export class FroxlorWireError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function missing(name: string, command: string): FroxlorWireError {
  return new FroxlorWireError(404, `Requested parameter "${name}" could not be found for "${command}"`);
}

export function empty(name: string, command: string): FroxlorWireError {
  return new FroxlorWireError(406, `Requested parameter "${name}" is empty where it should not be for "${command}"`);
}

export function requiredText(params: Record<string, unknown>, name: string, command: string): string {
  const v = params[name];
  if (v === undefined || v === null) throw missing(name, command);
  const t = phpText(v) ?? "";
  if (t === "") throw empty(name, command);
  return t;
}

/** get/update/delete/unlock/move: `id` when it is > 0, else `loginname` (#894). */
export function customerLookup(params: Record<string, unknown>, command: string): { by: "id" | "loginname"; value: string; ref: string } {
  const id = intval(params.id);
  if (id > 0) return { by: "id", value: String(id), ref: `id:${id}` };
  const login = requiredText(params, "loginname", command);
  return { by: "loginname", value: login, ref: `login:${login.toLowerCase()}` };
}

/** HostingPlans: `id` when > 0, else `planname`. */
export function planLookup(params: Record<string, unknown>, command: string): string | number {
  const id = intval(params.id);
  if (id > 0) return id;
  return `name:${requiredText(params, "planname", command)}`;
}
