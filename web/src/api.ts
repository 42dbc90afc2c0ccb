/** The console's JSON API: same-origin fetches with the session cookie and the CSRF header. */

export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

/** An error answer of the API (RFC 9457 problem document). */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldIssue[],
  ) {
    super(message);
  }
}

let csrfToken = "";

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, credentials: "same-origin", headers: { accept: "application/json", ...headers } };
  if (method !== "GET") (init.headers as Record<string, string>)["x-csrf-token"] = csrfToken;
  if (body !== undefined) {
    (init.headers as Record<string, string>)["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`/console/api${path}`, init);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text === "" ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const p = (data ?? {}) as { code?: string; detail?: string; errors?: FieldIssue[] };
    throw new Problem(res.status, p.code ?? "internal", p.detail ?? `The server answered ${res.status}`, p.errors ?? []);
  }
  return data as T;
}

export interface Principal {
  kind: "operator" | "reseller" | "customer";
  id: number;
  roles: string[];
}

export interface Me {
  principal: Principal;
  csrf_token: string;
}

export interface Customer {
  id: number;
  handle: string;
  login: string;
  customer_number: string;
  external_id: string | null;
  email: string;
  status: string;
  deleted: boolean;
  owner_id: number;
  full_name: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  tags: { key: string; value: string }[];
  metadata: Record<string, string>;
  resources: Record<string, unknown>;
  messaging: Record<string, unknown>;
  registrar: Record<string, unknown>;
  [field: string]: unknown;
}

export interface Page<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
  prev_cursor: string | null;
  total?: number;
}

export interface Lifecycle {
  status: string;
  reason: string | null;
  imposed_by: string | null;
  changed_at: string | null;
  can_log_in: boolean;
  allowed_actions: string[];
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: { kind: string; id: number; key_id: number | null };
  protocol: string;
  operation: string;
  changes: Record<string, { before: unknown; after: unknown }>;
  details?: Record<string, unknown>;
}

export interface ApiKey {
  id: number;
  prefix: string;
  name: string;
  roles: string[];
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  acl: { id: number; address: string; description: string }[];
}

export interface Credentials {
  password_set: boolean;
  password_changed_at: string | null;
  pin_set: boolean;
  totp_enabled: boolean;
  backup_codes_left: number;
  last_login_at: string | null;
  login_count: number;
  last_ip: string | null;
}

export interface Reseller {
  id: number;
  name: string;
  email: string;
  status: string;
  created_at: string;
}

export interface List<T> {
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface Plan {
  id: number;
  owner_id: number;
  name: string;
  description: string;
  resources: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface MessagePackage {
  id: number;
  kind: string;
  name: string;
  description: string;
  volume: number;
  period: string;
  price: string;
  currency: string;
  archived: boolean;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface Notice {
  id: number;
  customer_id: number | null;
  global: boolean;
  type: string;
  title: string;
  body: string;
  severity: string;
  acknowledged: boolean;
  acknowledged_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface Webhook {
  id: number;
  owner: { kind: string; id: number };
  url: string;
  description: string;
  event_types: string[];
  status: string;
  disabled_reason: string | null;
  previous_secret_expires_at: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
  /** Only in the answer to create and rotate. */
  secret?: string;
}

export interface Delivery {
  id: number;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  redelivery_of: number | null;
  created_at: string;
  completed_at: string | null;
}

/** What a provisioning system last reported about an object. */
export interface Provisioned {
  id: number;
  status: string;
  status_at: string;
  status_message: string | null;
}

export interface Site extends Provisioned {
  name: string;
  hostname: string;
  environments: (Provisioned & { name: string })[];
  containers: (Provisioned & { name: string })[];
}

export interface FtpUser extends Provisioned {
  username: string;
}
