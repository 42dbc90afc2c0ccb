import { type ComponentChildren, render } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApplyPlan, NoticeDetail, NoticeList, PackageDetail, PackageList, PlanDetail, PlanList, Provisioning, WebhookDetail, WebhookList } from "./objects.js";
import { ErrorBox, Fields, Link, navigate, setNavigate, show, useLoad, usePath, when } from "./ui.js";
import { type ApiKey, type AuditEntry, type Credentials, type Customer, call, type Lifecycle, type Me, type Page, Problem, type Reseller, setCsrfToken } from "./api.js";

// ---- login ---------------------------------------------------------------------------------

function Login(props: { onIn: (me: Me) => void }) {
  const form = useLoad(() => call<{ identifierLabel: string; passwordLabel: string; code: boolean }>("GET", "/login-form"), []);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      const body: Record<string, string> = { identifier: String(f.get("identifier") ?? ""), password: String(f.get("password") ?? "") };
      const code = String(f.get("code") ?? "");
      if (code !== "") body.code = code;
      props.onIn(await call<Me>("POST", "/session", body));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <h1>Custos console</h1>
      <form onSubmit={submit} aria-labelledby="login-title">
        <h2 id="login-title">Log in</h2>
        <ErrorBox error={error} />
        <label for="identifier">{form.data?.identifierLabel ?? "Login name"}</label>
        <input id="identifier" name="identifier" autocomplete="username" required />
        <label for="password">{form.data?.passwordLabel ?? "Password"}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        {form.data?.code !== false && (
          <>
            <label for="code">Authenticator or backup code (if your account uses one)</label>
            <input id="code" name="code" inputMode="numeric" autocomplete="one-time-code" />
          </>
        )}
        <button type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}

// ---- customers list ------------------------------------------------------------------------

const SEARCH_FIELDS: [string, string][] = [
  ["email", "E-mail"],
  ["last_name", "Last name"],
  ["company", "Company"],
  ["login", "Login"],
  ["handle", "Handle"],
  ["customer_number", "Customer number"],
  ["city", "City"],
  ["country", "Country"],
  ["status", "Status"],
];
const SORTS: [string, string][] = [
  ["-created_at", "Newest first"],
  ["created_at", "Oldest first"],
  ["last_name,first_name", "Last name A–Z"],
  ["-last_name", "Last name Z–A"],
  ["email", "E-mail A–Z"],
  ["company", "Company A–Z"],
];

function CustomerList(props: { query: URLSearchParams }) {
  const q = props.query;
  const field = q.get("field") ?? "email";
  const text = q.get("q") ?? "";
  const sort = q.get("sort") ?? "-created_at";
  const cursor = q.get("after") ?? "";
  const before = q.get("before") ?? "";
  const owner = q.get("owner") ?? "";
  const params = new URLSearchParams({ sort, limit: "25" });
  if (/^\d+$/.test(owner)) params.set("filter[owner_id][eq]", owner);
  if (text !== "") params.set(`filter[${field}][${["country", "status"].includes(field) ? "eq" : "prefix"}]`, field === "country" ? text.toUpperCase() : text);
  if (cursor) params.set("starting_after", cursor);
  if (before) params.set("ending_before", before);
  const list = useLoad(() => call<Page<Customer>>("GET", `/customers?${params}`), [params.toString()]);
  const to = (changes: Record<string, string>) => {
    const next = new URLSearchParams({ field, q: text, sort, owner, ...changes });
    for (const [k, v] of [...next]) if (v === "") next.delete(k);
    navigate(`/console/customers?${next}`);
  };
  const search = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    to({ field: String(f.get("field")), q: String(f.get("q") ?? "").trim(), sort: String(f.get("sort")) });
  };
  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">Customers</h1>
      <search>
      <form class="search" onSubmit={search}>
        <div>
          <label for="search-field">Search in</label>
          <select id="search-field" name="field" value={field}>
            {SEARCH_FIELDS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div class="grow">
          <label for="search-text">Starts with</label>
          <input id="search-text" name="q" type="search" value={text} />
        </div>
        <div>
          <label for="search-sort">Sort</label>
          <select id="search-sort" name="sort" value={sort}>
            {SORTS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      </search>
      <ErrorBox error={list.error} />
      {list.data && (
        <>
          <p class="muted" aria-live="polite">
            {list.data.total ?? list.data.data.length} customer{list.data.total === 1 ? "" : "s"}
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-mail</th>
                  <th scope="col" class="wide">
                    Handle
                  </th>
                  <th scope="col" class="wide">
                    Country
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {list.data.data.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <Link href={`/console/customers/${c.id}`}>{c.full_name ?? (c.company as string | null) ?? c.login}</Link>
                    </td>
                    <td>{c.email}</td>
                    <td class="wide">{c.handle}</td>
                    <td class="wide">{show(c.country)}</td>
                    <td>
                      <span class={`status status-${c.status}`}>{c.status}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav class="pager" aria-label="Pages">
            <button type="button" disabled={!list.data.prev_cursor} onClick={() => to({ before: list.data?.prev_cursor ?? "", after: "" })}>
              Previous page
            </button>
            <button type="button" disabled={!list.data.has_more || !list.data.next_cursor} onClick={() => to({ after: list.data?.next_cursor ?? "", before: "" })}>
              Next page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

// ---- one customer --------------------------------------------------------------------------

const EDITABLE: [string, string, ("email" | "tel" | "url")?][] = [
  ["first_name", "First name"],
  ["last_name", "Last name"],
  ["company", "Company"],
  ["email", "E-mail", "email"],
  ["phone", "Phone", "tel"],
  ["street", "Street"],
  ["house_number", "House number"],
  ["zipcode", "Postcode"],
  ["city", "City"],
  ["country", "Country (ISO code)"],
  ["vat_number", "VAT number"],
  ["website", "Website", "url"],
];

const ACTION_LABELS: Record<string, string> = {
  suspend: "Suspend",
  unsuspend: "Unsuspend",
  deactivate: "Deactivate",
  reactivate: "Reactivate",
  unlock: "Unlock",
  request_cancellation: "Request cancellation",
  withdraw_cancellation: "Withdraw cancellation",
  close: "Close",
  delete: "Delete",
  anonymise: "Anonymise",
};
const NEEDS_REASON = new Set(["suspend", "request_cancellation"]);

function EditForm(props: { customer: Customer; onSaved: (c: Customer) => void }) {
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const issues = error instanceof Problem ? error.errors : [];
  const issueOf = (f: string) => issues.find((i) => i.field === f);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const patch: Record<string, string | null> = {};
    for (const [name] of EDITABLE) {
      const v = String(f.get(name) ?? "").trim();
      const before = (props.customer[name] as string | null) ?? "";
      if (v !== before) patch[name] = v === "" ? null : v;
    }
    setError(undefined);
    setSaved(false);
    try {
      const c = await call<Customer>("PATCH", `/customers/${props.customer.id}`, patch, { "if-match": `"v${props.customer.version}"` });
      setSaved(true);
      props.onSaved(c);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="edit" onSubmit={submit} aria-labelledby="edit-title" key={props.customer.version}>
      <h2 id="edit-title">Edit contact data</h2>
      <ErrorBox error={error} />
      {saved && (
        <p class="ok" role="status">
          Saved.
        </p>
      )}
      <div class="grid">
        {EDITABLE.map(([name, label, type]) => {
          const issue = issueOf(name);
          return (
            <div key={name}>
              <label for={`f-${name}`}>{label}</label>
              <input
                id={`f-${name}`}
                name={name}
                inputMode={type ?? "text"}
                defaultValue={(props.customer[name] as string | null) ?? ""}
                aria-invalid={issue ? "true" : undefined}
                aria-describedby={issue ? `e-${name}` : undefined}
              />
              {issue && (
                <p class="field-error" id={`e-${name}`}>
                  {issue.message}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <button type="submit">Save changes</button>
    </form>
  );
}

function Actions(props: { customer: Customer; lifecycle: Lifecycle; onDone: () => void }) {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const dialog = useRef<HTMLDivElement>(null);
  // The confirmation takes the keyboard focus: its reason field, or else its confirm button.
  useLayoutEffect(() => {
    if (pending) dialog.current?.querySelector<HTMLElement>("input, button")?.focus();
  }, [pending]);
  const actions = [...props.lifecycle.allowed_actions, ...(props.customer.deleted ? ["anonymise"] : ["delete"])];
  const confirm = async (e: Event) => {
    e.preventDefault();
    if (!pending) return;
    const reason = String(new FormData(e.target as HTMLFormElement).get("reason") ?? "").trim();
    setError(undefined);
    try {
      const id = props.customer.id;
      if (pending === "delete") await call("DELETE", `/customers/${id}`);
      else if (pending === "anonymise") await call("POST", `/customers/${id}/anonymise`);
      else await call("POST", `/customers/${id}/lifecycle/${pending}`, NEEDS_REASON.has(pending) ? { reason } : {});
      setPending(null);
      props.onDone();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">Life cycle</h2>
      <p>
        Status <span class={`status status-${props.lifecycle.status}`}>{props.lifecycle.status}</span>
        {props.lifecycle.reason && <> — reason: {props.lifecycle.reason}</>}
        {props.lifecycle.imposed_by && <> (by {props.lifecycle.imposed_by})</>}
      </p>
      <div class="buttons">
        {actions.map((a) => (
          <button type="button" key={a} class={a === "delete" || a === "close" ? "danger" : ""} onClick={() => setPending(a)}>
            {ACTION_LABELS[a] ?? a}
          </button>
        ))}
      </div>
      {pending && (
        <div
          class="confirm"
          role="alertdialog"
          aria-labelledby="confirm-title"
          ref={dialog}
          onKeyDown={(e) => {
            if (e.key === "Escape") setPending(null);
          }}
        >
        <form onSubmit={confirm}>
          <h3 id="confirm-title">
            {ACTION_LABELS[pending] ?? pending} {props.customer.full_name ?? props.customer.email}?
          </h3>
          <ErrorBox error={error} />
          {NEEDS_REASON.has(pending) && (
            <>
              <label for="reason">Reason (required)</label>
              <input id="reason" name="reason" required />
            </>
          )}
          <div class="buttons">
            <button type="submit" class="danger">
              Confirm {(ACTION_LABELS[pending] ?? pending).toLowerCase()}
            </button>
            <button type="button" onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </form>
        </div>
      )}
    </section>
  );
}

function AuditTrail(props: { id: number; version: number }) {
  const trail = useLoad(() => call<Page<AuditEntry>>("GET", `/customers/${props.id}/audit`), [props.id, props.version]);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <ErrorBox error={trail.error} />
      {trail.data && trail.data.data.length === 0 && <p class="muted">No entries.</p>}
      {trail.data && trail.data.data.length > 0 && (
        <ol class="audit">
          {trail.data.data.map((e) => (
            <li key={e.id}>
              <p>
                <strong>{e.operation}</strong> <time dateTime={e.at}>{when(e.at)}</time> by {e.actor.kind}:{e.actor.id} via {e.protocol}
              </p>
              {Object.keys(e.changes).length > 0 && (
                <ul>
                  {Object.entries(e.changes)
                    .filter(([, v]) => show(v.before) !== show(v.after))
                    .slice(0, 12)
                    .map(([k, v]) => (
                      <li key={k}>
                        {k}: {show(v.before)} → {show(v.after)}
                      </li>
                    ))}
                </ul>
              )}
              {e.details && <p class="muted">{show(e.details)}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function CustomerDetail(props: { id: string }) {
  const customer = useLoad(() => call<Customer>("GET", `/customers/${encodeURIComponent(props.id)}`), [props.id]);
  const [current, setCurrent] = useState<Customer | undefined>(undefined);
  const c = current && String(current.id) === props.id ? current : customer.data;
  const lifecycle = useLoad(() => call<Lifecycle>("GET", `/customers/${encodeURIComponent(props.id)}/lifecycle`), [props.id, c?.version]);
  const creds = useLoad(() => call<Credentials>("GET", `/customers/${encodeURIComponent(props.id)}/credentials`), [props.id]);
  const keys = useLoad(() => call<{ data: ApiKey[] }>("GET", `/customers/${encodeURIComponent(props.id)}/keys`), [props.id]);
  if (customer.error) {
    return (
      <section>
        <h1>Customer</h1>
        <ErrorBox error={customer.error} />
        <Link href="/console/customers">Back to customers</Link>
      </section>
    );
  }
  if (!c) return <p aria-busy="true">Loading…</p>;
  const refresh = () => {
    call<Customer>("GET", `/customers/${c.id}`).then(setCurrent, () => {});
  };
  return (
    <article aria-labelledby="customer-title">
      <p>
        <Link href="/console/customers">← Customers</Link>
      </p>
      <h1 id="customer-title">{c.full_name ?? (c.company as string | null) ?? c.login}</h1>
      <p class="muted">
        {c.handle} · login {c.login} · number {c.customer_number} · version {c.version}
        {c.deleted && " · deleted"}
      </p>
      <div class="columns">
        <section aria-labelledby="contact-title">
          <h2 id="contact-title">Contact</h2>
          <Fields
            value={Object.fromEntries(
              ["email", "title", "first_name", "last_name", "company", "street", "house_number", "zipcode", "city", "state", "country", "phone", "fax", "website", "vat_number", "locale", "external_id"].map((k) => [k, c[k]]),
            )}
          />
        </section>
        <section aria-labelledby="resources-title">
          <h2 id="resources-title">Resources and usage</h2>
          <Fields value={c.resources} empty="No resource limits set." />
          <h2>Registrar</h2>
          <Fields value={c.registrar} empty="No registrar settings." />
          <h2>Messaging</h2>
          <Fields value={c.messaging} empty="No messaging packages." />
          <h2>Tags</h2>
          {c.tags.length === 0 ? (
            <p class="muted">No tags.</p>
          ) : (
            <ul class="tags">
              {c.tags.map((t) => (
                <li key={`${t.key}=${t.value}`}>
                  {t.key}
                  {t.value !== "" && `: ${t.value}`}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {lifecycle.data && <Actions customer={c} lifecycle={lifecycle.data} onDone={refresh} />}
      <ErrorBox error={lifecycle.error} />
      {!c.deleted && <EditForm customer={c} onSaved={setCurrent} />}
      {!c.deleted && <ApplyPlan customer={c} onApplied={setCurrent} />}
      <section aria-labelledby="customer-notices-title">
        <h2 id="customer-notices-title">Notices and provisioning</h2>
        <p>
          <Link href={`/console/notices?customer=${c.id}`}>This customer's notices, and publish one</Link>
        </p>
        <p>
          <Link href={`/console/provisioning?customer=${c.id}`}>This customer's sites and FTP users, with their provisioning status</Link>
        </p>
      </section>
      <section aria-labelledby="creds-title">
        <h2 id="creds-title">Credentials</h2>
        <ErrorBox error={creds.error} />
        {creds.data && (
          <Fields
            value={{
              password: creds.data.password_set ? `set ${when(creds.data.password_changed_at)}` : "not set",
              pin: creds.data.pin_set ? "set" : "not set",
              "two-factor": creds.data.totp_enabled ? `on (${creds.data.backup_codes_left} backup codes left)` : "off",
              "last login": `${when(creds.data.last_login_at)}${creds.data.last_ip ? ` from ${creds.data.last_ip}` : ""}`,
              logins: creds.data.login_count,
            }}
          />
        )}
      </section>
      <section aria-labelledby="keys-title">
        <h2 id="keys-title">API keys</h2>
        <ErrorBox error={keys.error} />
        {keys.data && keys.data.data.length === 0 && <p class="muted">No keys.</p>}
        {keys.data && keys.data.data.length > 0 && (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Name</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Allowed from</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {keys.data.data.map((k) => (
                  <tr key={k.id}>
                    <td>{k.prefix}…</td>
                    <td>{k.name}</td>
                    <td>{k.roles.join(", ")}</td>
                    <td>{k.acl.length === 0 ? "anywhere" : k.acl.map((a) => a.address).join(", ")}</td>
                    <td>{k.revoked_at ? `revoked ${when(k.revoked_at)}` : k.expires_at ? `expires ${when(k.expires_at)}` : "active"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <AuditTrail id={c.id} version={c.version} />
    </article>
  );
}

function Resellers() {
  const list = useLoad(() => call<Page<Reseller>>("GET", "/resellers"), []);
  return (
    <section aria-labelledby="resellers-title">
      <h1 id="resellers-title">Resellers</h1>
      <ErrorBox error={list.error} />
      {list.data && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((r) => (
                <tr key={r.id}>
                  <td>{r.id}</td>
                  <td>
                    <Link href={`/console/customers?field=email&q=&sort=-created_at&owner=${r.id}`}>{r.name}</Link>
                  </td>
                  <td>{r.email}</td>
                  <td>{r.status}</td>
                  <td>{when(r.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// ---- the application -----------------------------------------------------------------------

function App() {
  const [path, go] = usePath();
  setNavigate(go);
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  useEffect(() => {
    call<Me>("GET", "/session").then(
      (m) => {
        setCsrfToken(m.csrf_token);
        setMe(m);
      },
      () => setMe(null),
    );
  }, []);
  if (me === undefined) return <p aria-busy="true">Loading…</p>;
  if (me === null) {
    return (
      <Login
        onIn={(m) => {
          setCsrfToken(m.csrf_token);
          setMe(m);
          if (!/^\/console\/[a-z]+/.test(path)) go("/console/customers");
        }}
      />
    );
  }
  const logout = async () => {
    await call("DELETE", "/session").catch(() => {});
    setMe(null);
    go("/console");
  };
  const url = new URL(path, location.origin);
  const operator = me.principal.kind === "operator";
  const [, section, id] = /^\/console\/([a-z]+)(?:\/([^/]+))?\/?$/.exec(url.pathname) ?? [];
  const ref = id === undefined ? undefined : decodeURIComponent(id);
  let page: ComponentChildren;
  if (section === "customers" && ref !== undefined) page = <CustomerDetail key={ref} id={ref} />;
  else if (section === "resellers" && operator) page = <Resellers />;
  else if (section === "plans") page = ref === undefined ? <PlanList key={url.search} me={me} query={url.searchParams} /> : <PlanDetail key={ref} id={ref} />;
  else if (section === "packages") page = ref === undefined ? <PackageList key={url.search} me={me} query={url.searchParams} /> : <PackageDetail key={ref} id={ref} me={me} />;
  else if (section === "notices") page = ref === undefined ? <NoticeList key={url.search} me={me} query={url.searchParams} /> : <NoticeDetail key={ref} id={ref} />;
  else if (section === "provisioning") page = <Provisioning key={url.search} me={me} query={url.searchParams} />;
  else if (section === "webhooks") page = ref === undefined ? <WebhookList key={url.search} me={me} query={url.searchParams} /> : <WebhookDetail key={ref} id={ref} />;
  else page = <CustomerList query={url.searchParams} />;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">Custos</span>
        <nav aria-label="Main">
          <Link href="/console/customers">Customers</Link>
          {operator && <Link href="/console/resellers">Resellers</Link>}
          <Link href="/console/plans">Plans</Link>
          <Link href="/console/packages">Packages</Link>
          <Link href="/console/notices">Notices</Link>
          <Link href="/console/provisioning">Provisioning</Link>
          <Link href="/console/webhooks">Webhooks</Link>
        </nav>
        <span class="who">
          {me.principal.kind} #{me.principal.id}
        </span>
        <button type="button" onClick={logout}>
          Log out
        </button>
      </header>
      <main id="main">{page}</main>
    </>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
