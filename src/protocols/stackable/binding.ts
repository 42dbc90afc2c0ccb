import type { CommandRunner } from "../../core/commands.js";
import type { Context } from "../../core/context.js";
import { validationFailed } from "../../core/errors.js";
import type { AccessDeps } from "../../modules/access/commands.js";
import type { ApiKeyCommandDeps } from "../../modules/auth/commands.js";
import type { BandwidthDeps } from "../../modules/bandwidth/commands.js";
import type { ContactDeps } from "../../modules/contacts/commands.js";
import type { CredentialCommandDeps } from "../../modules/credentials/commands.js";
import type { CustomerCommandDeps } from "../../modules/customers/commands.js";
import type { FtpDeps } from "../../modules/ftp/commands.js";
import type { LifecycleCommandDeps } from "../../modules/lifecycle/commands.js";
import type { NetworkDeps } from "../../modules/network/commands.js";
import type { NoticeDeps } from "../../modules/notices/commands.js";
import type { SettingsDeps } from "../../modules/settings/commands.js";
import type { SiteDeps } from "../../modules/sites/commands.js";
import { decodeFields, type FieldMap } from "../kit/fields.js";

/** What every Stackable binding shares: its deps, its call, and the target/result helpers. */
export interface StackableDeps {
  commands: CommandRunner<
    CustomerCommandDeps & CredentialCommandDeps & ApiKeyCommandDeps & LifecycleCommandDeps & AccessDeps & SettingsDeps & NetworkDeps & FtpDeps & SiteDeps & BandwidthDeps & NoticeDeps & ContactDeps
  >;
}

/** One call of a Customer function, on any transport: the signed-in caller. */
export interface StackableCall {
  ctx: Context;
}

export interface Targeted {
  target: number;
  input: Record<string, unknown>;
}

/** Decodes with `map`; the argument mapped to `target` (the object acted on) and `required` ones must be there. */
export function targeted(map: FieldMap, params: Record<string, unknown>, required: readonly string[] = []): Targeted {
  const targetName = Object.entries(map).find(([, spec]) => spec.to === "target")?.[0] ?? "id";
  const missing = [targetName, ...required].filter((name) => params[name] === undefined);
  if (missing.length > 0) throw validationFailed(missing.map((field) => ({ field, code: "required", message: `The argument ${field} is missing` })));
  const { target, ...input } = decodeFields(map, params) as { target: number } & Record<string, unknown>;
  return { target, input };
}

export const customer = (id: number) => ({ ref: `id:${id}` });
/** `{"result": …}` is the JSON proxy's answer; Thrift takes `result` as the function's return value. */
export const result = (value: unknown) => ({ result: value ?? null });
export const nothing = () => result(null);

