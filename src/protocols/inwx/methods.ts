import type { FastifyRequest } from "fastify";
import type { CommandRunner } from "../../core/commands.js";
import { anonymousContext, type Context } from "../../core/context.js";
import { validationFailed } from "../../core/errors.js";
import { CustomerCommands, type CustomerCommandDeps } from "../../modules/customers/commands.js";
import { LoginCommands, type LoginCommandDeps } from "../../modules/credentials/login-command.js";
import { ExportCommands, type ExportCommandDeps } from "../../modules/exports/commands.js";
import { VerificationCommands, type VerificationCommandDeps } from "../../modules/verification/commands.js";
import type { RequestMeta } from "../kit/context.js";
import { WireError } from "../kit/errors.js";
import { decodeFields, encodeFields, issueRenamer } from "../kit/fields.js";
import { type MethodTable, method, onlyParams, requiredText } from "../kit/rpc.js";
import type { InwxCode } from "./codes.js";
import { customerNo, INFO_FIELDS, LOGIN_FIELDS, UPDATE_FIELDS, VERIFICATION_FIELDS, WIDE_FIELDS } from "./fields.js";

/** What the adapter needs from the credentials module besides the login command: the second factor and logout. */
export interface InwxSessions {
  completeSecondFactor(input: { pendingToken: string; code: string; keepToken?: boolean } & RequestMeta): Promise<{ state: "ok"; token: string }>;
  logout(token: string): Promise<void>;
}

export interface InwxDeps {
  commands: CommandRunner<CustomerCommandDeps & VerificationCommandDeps & ExportCommandDeps & LoginCommandDeps>;
  withSession(token: string, meta: RequestMeta): Promise<Context>;
  sessions: InwxSessions | undefined;
}

/** One DomRobot call as the method bindings see it. */
export interface InwxCall {
  request: FastifyRequest;
  meta: RequestMeta;
  /** The domrobot cookie as sent. */
  token: string | undefined;
  /** The logged-in customer; answers 2002 without a valid session. */
  session(): Promise<Context>;
  /** Sets the domrobot cookie ("" clears it) when the call succeeds. */
  setCookie(token: string): void;
  /** The success code (1000; 1500 after logout). */
  code: InwxCode;
}

const self = (ctx: Context) => ({ ref: `id:${ctx.principal.id}` });
const none = (params: Record<string, unknown>) => onlyParams(params, []);
const empty = () => ({});

/** customer.info's `wide` flag: 0/1, true/false, or digits. */
function wideFlag(v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v === "boolean") return v;
  if (typeof v === "number" && Number.isInteger(v)) return v !== 0;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v) !== 0;
  throw validationFailed([{ field: "wide", code: "invalid_type", message: "must be an integer" }]);
}

const optionalText = (params: Record<string, unknown>, name: string): string | undefined => {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw validationFailed([{ field: name, code: "invalid_type", message: "must be a string" }]);
  return v;
};

/** The DomRobot methods Custos answers, each bound to the operation it runs (seed chapter 2.1 / 2.7). */
export function inwxMethods(deps: InwxDeps): MethodTable<InwxCall> {
  const sessions = (): InwxSessions => {
    if (!deps.sessions) throw new WireError<InwxCode>(2400, "SESSIONS_UNAVAILABLE", "Login is not available on this server");
    return deps.sessions;
  };
  /** customer.info's source: the caller's own record plus its login facts under `$login`, as INFO/WIDE_FIELDS read them. */
  const profile = async (call: InwxCall) => {
    const ctx = await call.session();
    const { customer, login } = await deps.commands.execute(LoginCommands.profile, ctx, {}, self(ctx));
    return { ...customer, $login: login, $verification: 0 };
  };

  return {
    // account.login {user, pass, case-insensitive?}
    "account.login": method({
      operation: "session.login",
      decode(params) {
        onlyParams(params, ["user", "pass", "case-insensitive"]);
        return { identifier: requiredText(params, "user"), password: requiredText(params, "pass") };
      },
      async run(input, call) {
        const result = await deps.commands.execute(LoginCommands.login, anonymousContext(call.meta), input, undefined);
        if (result.state === "second_factor_required") {
          call.setCookie(result.pendingToken);
          return { tfa: result.method };
        }
        const c = result.customer;
        call.setCookie(result.token);
        return { customerId: c.id, customerNo: customerNo(c.customer_number), accountId: c.id, tfa: result.login.tfa };
      },
      renameIssues: issueRenamer(LOGIN_FIELDS),
      encode: (resData) => resData,
    }),
    // account.unlock {tan}: the TOTP second factor after a login that answered tfa != "0".
    "account.unlock": method({
      operation: "session.login",
      decode(params) {
        onlyParams(params, ["tan"]);
        return requiredText(params, "tan");
      },
      async run(tan, call) {
        if (!call.token) throw new WireError<InwxCode>(2002, "NOT_LOGGED_IN", "Log in with account.login first");
        const result = await sessions().completeSecondFactor({ pendingToken: call.token, code: tan, keepToken: true, ...call.meta });
        call.setCookie(result.token);
      },
      encode: empty,
    }),
    "account.logout": method({
      operation: "session.logout",
      decode: none,
      async run(_input, call) {
        if (call.token) await sessions().logout(call.token);
        call.setCookie("");
        call.code = 1500;
      },
      encode: empty,
    }),
    "account.info": method({
      operation: CustomerCommands.get.name,
      decode: none,
      run: (_input, call) => profile(call),
      encode: (c) => encodeFields(INFO_FIELDS, c),
    }),
    "customer.info": method({
      operation: CustomerCommands.get.name,
      decode(params) {
        onlyParams(params, ["wide"]);
        return wideFlag(params.wide);
      },
      run: async (wide, call) => ({ wide, source: await profile(call) }),
      encode: ({ wide, source }) => ({ ...encodeFields(INFO_FIELDS, source), ...(wide ? encodeFields(WIDE_FIELDS, source) : {}) }),
    }),
    "customer.update": method({
      operation: CustomerCommands.update.name,
      decode(params) {
        const { $testing, ...input } = decodeFields(UPDATE_FIELDS, params);
        return { input, testing: $testing === true };
      },
      async run({ input, testing }, call) {
        const ctx = await call.session();
        // testing=1: everything runs and is checked, then rolled back.
        await deps.commands.execute(CustomerCommands.update, ctx, input, self(ctx), { dryRun: testing });
      },
      encode: empty,
      renameIssues: issueRenamer(UPDATE_FIELDS),
    }),
    "customer.delete": method({
      operation: CustomerCommands.delete.name,
      decode: none,
      async run(_input, call) {
        const ctx = await call.session();
        await deps.commands.execute(CustomerCommands.delete, ctx, {}, self(ctx));
      },
      encode: empty,
    }),
    "customer.contactverificationsettingsinfo": method({
      operation: VerificationCommands.get.name,
      decode: none,
      run: async (_input, call) => {
        const ctx = await call.session();
        return deps.commands.execute(VerificationCommands.get, ctx, {}, self(ctx));
      },
      encode: (s) => encodeFields(VERIFICATION_FIELDS, s, { keepNull: true }),
    }),
    "customer.contactverificationsettingsupdate": method({
      operation: VerificationCommands.update.name,
      decode: (params) => decodeFields(VERIFICATION_FIELDS, params),
      async run(patch, call) {
        const ctx = await call.session();
        await deps.commands.execute(VerificationCommands.update, ctx, patch, self(ctx));
      },
      encode: empty,
      renameIssues: issueRenamer(VERIFICATION_FIELDS),
    }),
    "customer.requestdataexport": method({
      operation: ExportCommands.request.name,
      decode: none,
      async run(_input, call) {
        const ctx = await call.session();
        await deps.commands.execute(ExportCommands.request, ctx, { type: "gdpr" }, self(ctx));
      },
      encode: empty,
    }),
    "customer.listdownloads": method({
      operation: ExportCommands.listDownloads.name,
      decode(params) {
        onlyParams(params, ["type"]);
        return optionalText(params, "type");
      },
      async run(type, call) {
        const ctx = await call.session();
        return deps.commands.execute(ExportCommands.listDownloads, ctx, type === undefined ? {} : { type }, self(ctx));
      },
      encode: (list) => ({
        downloads: list.map((d) => ({ token: d.token, created: new Date(d.created_at), downloads: d.downloads, expires: new Date(d.expires_at), status: d.status })),
      }),
    }),
  };
}
