import assert from "node:assert/strict";
import type { CustomerCreateInput, Customer } from "../../src/modules/customers/schema.js";
import type { SessionView } from "../../src/modules/credentials/service.js";
import type { Problem } from "../../src/protocols/rest/problem.js";

export type { Problem };

/** One HTTP answer: `body` is the parsed JSON (undefined when there is none), `text` the raw body. */
export interface Reply<T> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Bearer credential; null sends none. */
  key?: string | null;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

/** What POST /v1/sessions answers. */
export type LoginReply = { state: "ok"; token: string; session: SessionView } | { state: "second_factor_required"; pending_token: string; method: string };

/** Sends one JSON request; `key` is a bearer credential (none when null or undefined). */
export async function send<T>(base: string, method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.key !== undefined && options.key !== null) headers.authorization = `Bearer ${options.key}`;
  let body: string | Buffer | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = body;
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/**
 * A typed REST client for tests: the calls fixtures and tests make most, answering typed bodies
 * (a problem document when the status says so). `key` is the bearer credential every call sends.
 */
export class TestClient {
  constructor(
    readonly base: string,
    readonly key: string | null,
  ) {}

  /** The same client with another credential (null: anonymous). */
  as(key: string | null): TestClient {
    return new TestClient(this.base, key);
  }

  request<T>(method: string, path: string, options: Omit<RequestOptions, "key"> = {}): Promise<Reply<T>> {
    return send<T>(this.base, method, path, { ...options, key: this.key });
  }

  /** Creates a customer; fails the test unless it is created. */
  async createCustomer(body: Partial<CustomerCreateInput> & { email: string }): Promise<Customer> {
    const r = await this.request<Customer>("POST", "/v1/customers", { body });
    assert.equal(r.status, 201, r.text);
    return r.body;
  }

  /** Sets a customer's password as an administrator; fails the test unless it is set. */
  async setPassword(customerId: number, password: string): Promise<void> {
    const r = await this.request<undefined>("PUT", `/v1/customers/${customerId}/password`, { body: { password } });
    assert.equal(r.status, 204, r.text);
  }

  /** A password login (POST /v1/sessions); the answer is given back as it is, refusals included. */
  login(identifier: string, password: string, headers: Record<string, string> = {}): Promise<Reply<LoginReply | Problem>> {
    return send<LoginReply | Problem>(this.base, "POST", "/v1/sessions", { body: { identifier, password }, headers });
  }
}
