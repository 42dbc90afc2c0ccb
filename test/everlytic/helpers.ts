import { systemContext } from "../../src/core/context.js";
import type { TestServer } from "../helpers/harness.js";

/** A reseller with an owner key: the Basic credentials an Everlytic client would hold. */
export interface EverlyticUser {
  accountId: number;
  username: string;
  apikey: string;
}

export async function everlyticUser(server: TestServer, name = "Everlytic Reseller"): Promise<EverlyticUser> {
  const services = server.app.services;
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${Math.random().toString(36).slice(2, 8)}@resellers.example`;
  const account = await services.accounts.createReseller(systemContext("test"), { name, email });
  const key = await services.keys.create(systemContext("test"), { name: "everlytic", roles: ["owner"], principal: { kind: "reseller", id: account.id } });
  return { accountId: account.id, username: email, apikey: key.secret };
}

export const basic = (username: string, apikey: string) => `Basic ${Buffer.from(`${username}:${apikey}`).toString("base64")}`;

/** One JSON request to the Everlytic REST API. */
export async function rest(
  base: string,
  method: string,
  path: string,
  options: { auth?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.auth) headers.authorization = options.auth;
  const init: RequestInit = { method, headers };
  if (options.rawBody !== undefined || options.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = options.rawBody ?? JSON.stringify(options.body);
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}
