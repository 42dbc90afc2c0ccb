import { systemContext } from "../../src/core/context.js";
import type { TestServer } from "../helpers/harness.js";
import type { CredentialHook } from "./suite.js";

/** The password every account the tests log in with gets (it passes the password policy). */
export const ACCOUNT_PASSWORD = "Security-Suite-Pass-1";

export interface AccountLogin {
  identifier: string;
  password: string;
}

/**
 * Login name and password of an operator or reseller account: set on first use (with the
 * system context, as an operator would), reused afterwards so earlier sessions stay open.
 */
export async function accountLoginOf(server: TestServer, accountId: number): Promise<AccountLogin> {
  const logins = server.app.services.accountLogins;
  const sys = systemContext("test");
  const status = await logins.status(sys, accountId);
  const identifier = status.login ?? `account${accountId}-suite`;
  if (!status.password_set) await logins.setLogin(sys, accountId, { login: identifier, password: ACCOUNT_PASSWORD });
  return { identifier, password: ACCOUNT_PASSWORD };
}

/**
 * The shared security suite's credentials for a protocol whose callers log in with an operator
 * or reseller account (login name and password) and then present the session: `logIn` performs
 * that protocol's login and returns what its calls carry; `unknown` is a well-formed session
 * credential no login ever issued. Revoked means the password was changed (which ends the
 * account's sessions), expired a session past its lifetime, outside the ACL a session of an
 * account whose API-key allow list excludes the client.
 */
export function accountLoginCredentials<C>(protocol: { logIn(server: TestServer, login: AccountLogin): Promise<C>; unknown(): C }): CredentialHook<C> {
  const session = async (server: TestServer, accountId: number) => protocol.logIn(server, await accountLoginOf(server, accountId));
  return {
    unsupported: {
      role_without: "an account login carries the account's own rights; roles narrow API keys only",
      suspended: "account logins belong to operator and reseller accounts, which have no suspension",
      api_disabled: "api_allowed is a customer switch; operator and reseller accounts have none",
      principal: "customers have no account login; reseller and operator accounts do",
    },
    async acquire(request, { server, world }) {
      switch (request.kind) {
        case "none":
          return null;
        case "unknown":
          return protocol.unknown();
        case "revoked": {
          const r = await world.reseller("Revoked");
          const credential = await session(server, r.id);
          await server.app.services.accountLogins.setLogin(systemContext("test"), r.id, { password: "Another-Suite-Pass-2" });
          return credential;
        }
        case "expired": {
          const r = await world.reseller("Expired");
          const credential = await session(server, r.id);
          await server.app.storage.db.updateTable("account_sessions").set({ expires_at: "2000-01-01T00:00:00.000Z" }).where("account_id", "=", r.id).execute();
          return credential;
        }
        case "outside_acl": {
          const r = await world.reseller("Outside");
          const credential = await session(server, r.id);
          await server.app.services.keys.createAcl(systemContext("test"), r.keyId, { address: "192.0.2.0/24", description: "documentation range: never the test client" });
          return credential;
        }
        case "role_without":
        case "suspended":
        case "api_disabled":
          return undefined;
        case "principal":
          return request.actor.kind === "customer" ? undefined : session(server, request.actor.id);
      }
    },
  };
}
