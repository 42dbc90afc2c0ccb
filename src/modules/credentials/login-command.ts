import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import type { Context, Principal } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import { CustomerOps } from "../customers/operations.js";
import type { Customer } from "../customers/schema.js";
import type { CustomerService } from "../customers/service.js";
import { CredentialEvents } from "./operations.js";
import { loginSchema as sessionLoginSchema, secondFactorSchema } from "./schema.js";
import type { LoginInput, LoginResult, SecondFactorInput } from "./service.js";

/** What a customer sees of its own logins beside its profile. */
export interface LoginFacts {
  /** "GOOGLE-AUTH" when TOTP is on, "0" when not. */
  tfa: "0" | "GOOGLE-AUTH";
  lastLoginAt: string | null;
  loginCount: number;
  lastIp: string | null;
}

/** The credential service by shape (this file sits beside it and must not tie itself to its internals). */
export interface LoginCommandDeps {
  customers: Pick<CustomerService, "get">;
  credentials: {
    login(input: LoginInput): Promise<LoginResult>;
    completeSecondFactor(input: SecondFactorInput): Promise<Extract<LoginResult, { state: "ok" }>>;
    logout(token: string): Promise<void>;
    authenticateSession(token: string): Promise<Principal>;
    tfaMethod(customerId: number): Promise<"0" | "GOOGLE-AUTH">;
    loginInfo(customerId: number): Promise<{ lastLoginAt: string | null; loginCount: number; lastIp: string | null }>;
  };
}

export type LoginOutcome =
  | { state: "second_factor_required"; pendingToken: string; method: "GOOGLE-AUTH" }
  | { state: "ok"; token: string; customer: Customer; login: LoginFacts };

const loginSchema = z.strictObject({ identifier: z.string(), password: z.string() });

/** Where a credential step comes from, for the budgets per address and the audit entry. */
const metaOf = (ctx: Context) => ({ clientIp: ctx.clientIp, protocol: ctx.protocol, requestId: ctx.requestId });

async function factsOf(credentials: LoginCommandDeps["credentials"], customerId: number): Promise<LoginFacts> {
  return { tfa: await credentials.tfaMethod(customerId), ...(await credentials.loginInfo(customerId)) };
}

export const LoginCommands = {
  /**
   * A customer's password login: the credential check, the session, and the customer as that
   * session sees it, in one step. With TOTP on it stops at the pending second factor.
   */
  login: defineCommand({
    operation: { name: CredentialEvents.login, credential: true },
    input: loginSchema,
    errors: ["unauthenticated", "rate_limited", "not_found"],
    async run({ customers, credentials }: LoginCommandDeps, { ctx, input }: CommandCall<z.output<typeof loginSchema>, undefined>): Promise<LoginOutcome> {
      const result = await credentials.login({ ...input, clientIp: ctx.clientIp, protocol: ctx.protocol, requestId: ctx.requestId });
      if (result.state === "second_factor_required") return result;
      const session = { ...ctx, principal: await credentials.authenticateSession(result.token) };
      const customer = await customers.get(session, `id:${session.principal.id}`);
      return { state: "ok", token: result.token, customer, login: await factsOf(credentials, customer.id) };
    },
  }),
  /**
   * A password login that answers the session itself (a protocol that returns the session rather
   * than the customer). With TOTP on it stops at the pending second factor.
   */
  session: defineCommand({
    operation: { name: CredentialEvents.login, credential: true },
    input: sessionLoginSchema,
    errors: ["unauthenticated"],
    run: ({ credentials }: LoginCommandDeps, { ctx, input }: CommandCall<z.output<typeof sessionLoginSchema>, undefined>) =>
      credentials.login({ identifier: input.identifier, password: input.password, ...metaOf(ctx) }),
  }),
  /** The second step of a login with TOTP on: the pending token and a TOTP or backup code open the session. */
  secondFactor: defineCommand({
    operation: { name: CredentialEvents.login, credential: true },
    input: secondFactorSchema,
    errors: ["unauthenticated"],
    run: ({ credentials }: LoginCommandDeps, { ctx, input }: CommandCall<z.output<typeof secondFactorSchema>, undefined>) =>
      credentials.completeSecondFactor({ pendingToken: input.pending_token, code: input.code, ...metaOf(ctx) }),
  }),
  /** Ends the session whose token authenticated the request; a request made with an API key has none. */
  logout: defineCommand({
    operation: { name: CredentialEvents.logout, credential: true },
    input: z.strictObject({ token: z.string().optional() }),
    errors: ["invalid_state_transition"],
    async run({ credentials }: LoginCommandDeps, { ctx, input }: CommandCall<{ token?: string | undefined }, undefined>): Promise<void> {
      if (ctx.principal.sessionId === null) throw new AppError("invalid_state_transition", "This request is authenticated by an API key, not a session; there is nothing to log out");
      if (input.token !== undefined) await credentials.logout(input.token);
    },
  }),
  /** A customer with its login facts (TOTP on or off, last login, count, last address). */
  profile: defineCommand({
    operation: CustomerOps.get,
    input: z.strictObject({}),
    errors: ["not_found"],
    async run({ customers, credentials }: LoginCommandDeps, { ctx, target }: CommandCall<unknown, { ref: string }>) {
      const customer = await customers.get(ctx, target.ref);
      return { customer, login: await factsOf(credentials, customer.id) };
    },
  }),
} as const;
