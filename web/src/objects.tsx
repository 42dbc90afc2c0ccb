import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { type Customer, call, Problem, type Delivery, type FtpUser, type List, type Me, type MessagePackage, type Notice, type Plan, type Provisioned, type Site, type Webhook } from "./api.js";
import { ConfirmButton, type FieldSpec, ObjectForm } from "./forms.js";
import { ErrorBox, Fields, Link, navigate, show, useLoad, when } from "./ui.js";

/**
 * The pages of hosting plans, message packages, notices and webhook endpoints. Each page asks
 * the console API, which runs the same domain command as the REST API; who may see or change
 * what (a reseller only its own) is decided there, and refusals are shown as they come.
 */

// ---- hosting plans -------------------------------------------------------------------------

const PLAN_FIELDS: FieldSpec[] = [
  { name: "name", label: "Name", required: true, hint: "Unique per owner" },
  { name: "description", label: "Description", kind: "textarea" },
  { name: "resources.diskspace_mb", label: "Disk space (MB)", kind: "number", hint: "-1 for unlimited" },
  { name: "resources.traffic_gb", label: "Traffic (GB)", kind: "number" },
  { name: "resources.subdomains", label: "Subdomains", kind: "number" },
  { name: "resources.emails", label: "E-mail addresses", kind: "number" },
  { name: "resources.email_accounts", label: "Mailboxes", kind: "number" },
  { name: "resources.email_forwarders", label: "Forwarders", kind: "number" },
  { name: "resources.email_quota_mb", label: "Mail quota (MB)", kind: "number" },
  { name: "resources.ftps", label: "FTP users", kind: "number" },
  { name: "resources.mysqls", label: "Databases", kind: "number" },
  { name: "resources.php_enabled", label: "PHP", kind: "switch" },
  { name: "resources.perl_enabled", label: "Perl", kind: "switch" },
  { name: "resources.dns_enabled", label: "DNS editor", kind: "switch" },
  { name: "resources.email_imap", label: "IMAP", kind: "switch" },
  { name: "resources.email_pop3", label: "POP3", kind: "switch" },
  { name: "resources.logview_enabled", label: "Log viewer", kind: "switch" },
];

/** A table; the columns in `wide` are left out on narrow screens (the `wide` class). */
/** Next-page and first-page links for a cursor-paged list; the cursor lives in the address (?after=). */
function Pager(props: { list: List<unknown>; query: URLSearchParams; path: string }) {
  const at = (after: string | null) => {
    const q = new URLSearchParams(props.query);
    if (after === null) q.delete("after");
    else q.set("after", after);
    const text = q.toString();
    return text === "" ? props.path : `${props.path}?${text}`;
  };
  if (!props.list.has_more && !props.query.get("after")) return null;
  return (
    <nav class="pager" aria-label="Pages">
      {props.query.get("after") && <Link href={at(null)}>First page</Link>}
      {props.list.has_more && props.list.next_cursor && <Link href={at(props.list.next_cursor)}>Next page</Link>}
    </nav>
  );
}

/** The ?after= cursor as the API's starting_after parameter. */
const afterParam = (query: URLSearchParams, sep: "?" | "&") => {
  const after = query.get("after");
  return after && /^\d{1,15}$/.test(after) ? `${sep}starting_after=${after}` : "";
};

/** Operators may make a plan or an endpoint for another account (a reseller). */
const OWNER_FIELD: FieldSpec = { name: "owner_id", label: "Owner account id", kind: "number", hint: "Empty: your own account; or a reseller's id" };

function Table(props: { caption: string; head: string[]; rows: ComponentChildren[][]; empty: string; wide?: number[] }) {
  const cls = (i: number) => (props.wide?.includes(i) ? "wide" : undefined);
  if (props.rows.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h, i) => (
              <th scope="col" key={h} class={cls(i)}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((cells, i) => (
            <tr key={i}>
              {cells.map((c, j) => (
                <td key={j} class={cls(j)}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PlanList(props: { me: Me; query: URLSearchParams }) {
  const after = afterParam(props.query, "?");
  const list = useLoad(() => call<List<Plan>>("GET", `/plans${after}`), [after]);
  return (
    <section aria-labelledby="plans-title">
      <h1 id="plans-title">Hosting plans</h1>
      <p class="muted">Applying a plan to a customer copies its values; changing the plan later leaves customers as they are.</p>
      <ErrorBox error={list.error} />
      {list.data && (
        <Table
          caption="Hosting plans"
          head={["Name", "Owner", "Disk (MB)", "Mailboxes", "Description"]} wide={[1, 4]}
          empty="No hosting plans yet."
          rows={list.data.data.map((p) => [<Link href={`/console/plans/${p.id}`}>{p.name}</Link>, `#${p.owner_id}`, show(p.resources.diskspace_mb), show(p.resources.email_accounts), show(p.description)])}
        />
      )}
      {list.data && <Pager list={list.data} query={props.query} path="/console/plans" />}
      <ObjectForm
        id="plan-new"
        title="New hosting plan"
        fields={props.me.principal.kind === "operator" ? [...PLAN_FIELDS, OWNER_FIELD] : PLAN_FIELDS}
        submitLabel="Create plan"
        submit={async (body) => {
          const p = await call<Plan>("POST", "/plans", body);
          navigate(`/console/plans/${p.id}`);
        }}
      />
    </section>
  );
}

export function PlanDetail(props: { id: string }) {
  const plan = useLoad(() => call<Plan>("GET", `/plans/${encodeURIComponent(props.id)}`), [props.id]);
  const [current, setCurrent] = useState<Plan | undefined>(undefined);
  const p = current ?? plan.data;
  return (
    <article aria-labelledby="plan-title">
      <p>
        <Link href="/console/plans">← Hosting plans</Link>
      </p>
      <ErrorBox error={plan.error} />
      {p && (
        <>
          <h1 id="plan-title">{p.name}</h1>
          <p class="muted">
            plan #{p.id} · owner #{p.owner_id} · version {p.version} · changed {when(p.updated_at)}
          </p>
          <Fields value={{ description: p.description, ...p.resources }} />
          <ObjectForm
            id="plan-edit"
            title="Edit plan"
            fields={PLAN_FIELDS}
            initial={p as unknown as Record<string, unknown>}
            submitLabel="Save plan"
            done="Saved."
            submit={async (body) => setCurrent(await call<Plan>("PATCH", `/plans/${p.id}`, body))}
          />
          <h2>Delete</h2>
          <p class="muted">Customers that were given this plan keep their values.</p>
          <ConfirmButton
            label="Delete plan"
            question={`Delete the hosting plan ${p.name}?`}
            run={async () => {
              await call("DELETE", `/plans/${p.id}`);
              navigate("/console/plans");
            }}
          />
        </>
      )}
    </article>
  );
}

/** On the customer page: give the customer a plan's values (the API's resources.hosting_plan_id). */
export function ApplyPlan(props: { customer: Customer; onApplied: (c: Customer) => void }) {
  const plans = useLoad(() => call<List<Plan>>("GET", "/plans"), []);
  const [error, setError] = useState<unknown>(undefined);
  const [ok, setOk] = useState(false);
  const current = props.customer.resources.hosting_plan_id as number | null | undefined;
  const apply = async (e: Event) => {
    e.preventDefault();
    const id = Number(new FormData(e.target as HTMLFormElement).get("plan"));
    setError(undefined);
    setOk(false);
    try {
      props.onApplied(await call<Customer>("PATCH", `/customers/${props.customer.id}`, { resources: { hosting_plan_id: id } }, { "if-match": `"v${props.customer.version}"` }));
      setOk(true);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form class="inline" onSubmit={apply} aria-labelledby="apply-plan-title">
      <h2 id="apply-plan-title">Hosting plan</h2>
      <p class="muted">Current plan: {current ? `#${current}` : "none"}. Applying copies the plan's values over the customer's resources.</p>
      <ErrorBox error={error ?? plans.error} />
      {ok && (
        <p class="ok" role="status">
          Plan applied.
        </p>
      )}
      {plans.data && plans.data.data.length === 0 && <p class="muted">No hosting plans to apply.</p>}
      {plans.data && plans.data.data.length > 0 && (
        <div class="row">
          <div class="grow">
            <label for="apply-plan">Plan</label>
            <select id="apply-plan" name="plan" defaultValue={current ? String(current) : undefined}>
              {plans.data.data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} (#{p.id})
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Apply plan</button>
        </div>
      )}
    </form>
  );
}

// ---- message packages ----------------------------------------------------------------------

const KINDS = [
  ["email", "E-mail"],
  ["sms", "SMS"],
  ["transactions", "Transactional"],
] as const;
const PERIODS = [
  ["monthly", "Monthly"],
  ["yearly", "Yearly"],
  ["once", "Once"],
] as const;
const PACKAGE_FIELDS: FieldSpec[] = [
  { name: "name", label: "Name", required: true },
  { name: "description", label: "Description" },
  { name: "volume", label: "Volume per period", kind: "number", hint: "Messages, SMS or transactions included" },
  { name: "period", label: "Period", kind: "select", options: PERIODS },
  { name: "price", label: "Price", hint: "A decimal amount such as 199.00" },
  { name: "currency", label: "Currency", hint: "ISO 4217, e.g. EUR" },
];

export function PackageList(props: { me: Me; query: URLSearchParams }) {
  const after = afterParam(props.query, "&");
  const list = useLoad(() => call<List<MessagePackage>>("GET", `/packages?include_archived=true${after}`), [after]);
  const operator = props.me.principal.kind === "operator";
  return (
    <section aria-labelledby="packages-title">
      <h1 id="packages-title">Message packages</h1>
      <ErrorBox error={list.error} />
      {list.data && (
        <Table
          caption="Message packages"
          head={["Name", "Kind", "Volume", "Price", "State"]} wide={[2]}
          empty="No message packages yet."
          rows={list.data.data.map((p) => [<Link href={`/console/packages/${p.id}`}>{p.name}</Link>, p.kind, `${p.volume} ${p.period}`, `${p.price} ${p.currency}`, p.archived ? "archived" : "offered"])}
        />
      )}
      {list.data && <Pager list={list.data} query={props.query} path="/console/packages" />}
      {operator ? (
        <ObjectForm
          id="package-new"
          title="New message package"
          fields={[{ name: "kind", label: "Kind", kind: "select", options: KINDS }, ...PACKAGE_FIELDS]}
          submitLabel="Create package"
          submit={async (body) => {
            const p = await call<MessagePackage>("POST", "/packages", body);
            navigate(`/console/packages/${p.id}`);
          }}
        />
      ) : (
        <p class="muted">The package catalogue is the operators'; resellers read it.</p>
      )}
    </section>
  );
}

export function PackageDetail(props: { id: string; me: Me }) {
  const pkg = useLoad(() => call<MessagePackage>("GET", `/packages/${encodeURIComponent(props.id)}`), [props.id]);
  const [current, setCurrent] = useState<MessagePackage | undefined>(undefined);
  const p = current ?? pkg.data;
  const operator = props.me.principal.kind === "operator";
  return (
    <article aria-labelledby="package-title">
      <p>
        <Link href="/console/packages">← Message packages</Link>
      </p>
      <ErrorBox error={pkg.error} />
      {p && (
        <>
          <h1 id="package-title">{p.name}</h1>
          <p class="muted">
            package #{p.id} · {p.kind} · {p.archived ? "archived" : "offered"} · version {p.version}
          </p>
          <Fields value={{ description: p.description, volume: p.volume, period: p.period, price: `${p.price} ${p.currency}`, created: when(p.created_at) }} />
          {operator && (
            <>
              <ObjectForm
                    id="package-edit"
                title="Edit package"
                fields={PACKAGE_FIELDS}
                initial={p as unknown as Record<string, unknown>}
                submitLabel="Save package"
                done="Saved."
                submit={async (body) => setCurrent(await call<MessagePackage>("PATCH", `/packages/${p.id}`, body))}
              />
              {!p.archived && (
                <>
                  <h2>Archive</h2>
                  <p class="muted">Customers keep an archived package; nobody new can be given it.</p>
                  <ConfirmButton label="Archive package" question={`Archive ${p.name}?`} run={async () => setCurrent(await call<MessagePackage>("POST", `/packages/${p.id}/archive`))} />
                </>
              )}
            </>
          )}
        </>
      )}
    </article>
  );
}

// ---- notices -------------------------------------------------------------------------------

const SEVERITY = [
  ["info", "Information"],
  ["warning", "Warning"],
  ["critical", "Critical"],
] as const;
const NOTICE_EDIT: FieldSpec[] = [
  { name: "title", label: "Title", required: true },
  { name: "severity", label: "Severity", kind: "select", options: SEVERITY },
  { name: "body", label: "Text", kind: "textarea" },
];

export function NoticeList(props: { me: Me; query: URLSearchParams }) {
  const customer = props.query.get("customer") ?? "";
  const after = afterParam(props.query, "?");
  const notices = useLoad(() => (customer === "" ? Promise.resolve(undefined) : call<List<Notice>>("GET", `/customers/${encodeURIComponent(customer)}/notices${after}`)), [customer, after]);
  const operator = props.me.principal.kind === "operator";
  const find = (e: Event) => {
    e.preventDefault();
    const ref = String(new FormData(e.target as HTMLFormElement).get("customer") ?? "").trim();
    navigate(ref === "" ? "/console/notices" : `/console/notices?customer=${encodeURIComponent(ref)}`);
  };
  const fields: FieldSpec[] = [
    {
      name: "customer_id",
      label: operator ? "Customer id (empty: every customer)" : "Customer id",
      kind: "number",
      required: !operator,
      ...(operator ? { hint: "A notice without a customer is global" } : {}),
    },
    { name: "type", label: "Type", hint: "A notice type, e.g. general, billing, maintenance" },
    ...NOTICE_EDIT,
  ];
  return (
    <section aria-labelledby="notices-title">
      <h1 id="notices-title">Notices</h1>
      <search>
        <form class="search" onSubmit={find}>
          <div class="grow">
            <label for="notice-customer">Notices of customer (id, handle or e-mail)</label>
            <input id="notice-customer" name="customer" defaultValue={customer} />
          </div>
          <button type="submit">Show notices</button>
        </form>
      </search>
      <ErrorBox error={notices.error} />
      {notices.data && (
        <Table
          caption="The customer's notices and the global ones"
          head={["Title", "For", "Severity", "Acknowledged", "Published"]} wide={[3, 4]}
          empty="No notices for this customer."
          rows={notices.data.data.map((n) => [
            <Link href={`/console/notices/${n.id}`}>{n.title}</Link>,
            n.global ? "everyone" : `customer #${n.customer_id}`,
            n.severity,
            n.acknowledged ? when(n.acknowledged_at) : "no",
            when(n.created_at),
          ])}
        />
      )}
      {notices.data && <Pager list={notices.data} query={props.query} path="/console/notices" />}
      <ObjectForm
        id="notice-new"
        title="Publish a notice"
        fields={fields}
        submitLabel="Publish notice"
        submit={async (body) => {
          const n = await call<Notice>("POST", "/notices", { customer_id: null, ...body });
          navigate(`/console/notices/${n.id}`);
        }}
      />
    </section>
  );
}

export function NoticeDetail(props: { id: string }) {
  const notice = useLoad(() => call<Notice>("GET", `/notices/${encodeURIComponent(props.id)}`), [props.id]);
  const [current, setCurrent] = useState<Notice | undefined>(undefined);
  const n = current ?? notice.data;
  return (
    <article aria-labelledby="notice-title">
      <p>
        <Link href="/console/notices">← Notices</Link>
      </p>
      <ErrorBox error={notice.error} />
      {n && (
        <>
          <h1 id="notice-title">{n.title}</h1>
          <p class="muted">
            notice #{n.id} · {n.global ? "to every customer" : `to customer #${n.customer_id}`} · {n.severity} · version {n.version}
          </p>
          <Fields value={{ type: n.type, text: n.body, published: when(n.created_at), changed: when(n.updated_at) }} />
          <ObjectForm
            id="notice-edit"
            title="Edit notice"
            fields={NOTICE_EDIT}
            initial={n as unknown as Record<string, unknown>}
            submitLabel="Save notice"
            done="Saved."
            submit={async (body) => setCurrent(await call<Notice>("PATCH", `/notices/${n.id}`, body, { "if-match": `"v${n.version}"` }))}
          />
          <h2>Withdraw</h2>
          <ConfirmButton
            label="Withdraw notice"
            question={`Withdraw the notice "${n.title}"?`}
            run={async () => {
              await call("DELETE", `/notices/${n.id}`);
              navigate(n.customer_id === null ? "/console/notices" : `/console/notices?customer=${n.customer_id}`);
            }}
          />
        </>
      )}
    </article>
  );
}

// ---- webhook endpoints ---------------------------------------------------------------------

const WEBHOOK_FIELDS: FieldSpec[] = [
  { name: "url", label: "URL", kind: "url", required: true, hint: "https:// address that receives the events" },
  { name: "event_types", label: "Event types", kind: "list", hint: "Comma-separated: *, customer.*, customer.created, …" },
  { name: "description", label: "Description" },
];

/** A signing secret, shown once right after it was made. */
function SecretOnce(props: { secret: string }) {
  return (
    <div class="secret" role="status">
      <p>
        <strong>Signing secret — copy it now, it is not shown again:</strong>
      </p>
      <code>{props.secret}</code>
    </div>
  );
}

export function WebhookList(props: { me: Me; query: URLSearchParams }) {
  const after = afterParam(props.query, "&");
  const list = useLoad(() => call<List<Webhook>>("GET", `/webhooks?limit=100${after}`), [after]);
  const [created, setCreated] = useState<Webhook | undefined>(undefined);
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhook endpoints</h1>
      <ErrorBox error={list.error} />
      {created?.secret && (
        <>
          <p>
            Endpoint <Link href={`/console/webhooks/${created.id}`}>{created.url}</Link> registered.
          </p>
          <SecretOnce secret={created.secret} />
        </>
      )}
      {list.data && (
        <Table
          caption="Webhook endpoints"
          head={["URL", "Owner", "Events", "Status"]} wide={[1, 2]}
          empty="No webhook endpoints yet."
          rows={list.data.data.map((w) => [
            <Link href={`/console/webhooks/${w.id}`}>{w.url}</Link>,
            `${w.owner.kind} #${w.owner.id}`,
            w.event_types.join(", "),
            <span class={`status status-${w.status}`}>{w.status}</span>,
          ])}
        />
      )}
      {list.data && <Pager list={list.data} query={props.query} path="/console/webhooks" />}
      <ObjectForm
        id="webhook-new"
        title="Register an endpoint"
        fields={props.me.principal.kind === "operator" ? [...WEBHOOK_FIELDS, OWNER_FIELD] : WEBHOOK_FIELDS}
        submitLabel="Register endpoint"
        submit={async (body) => {
          setCreated(await call<Webhook>("POST", "/webhooks", body));
          list.reload();
        }}
      />
    </section>
  );
}

export function WebhookDetail(props: { id: string }) {
  const hook = useLoad(() => call<Webhook>("GET", `/webhooks/${encodeURIComponent(props.id)}`), [props.id]);
  const [current, setCurrent] = useState<Webhook | undefined>(undefined);
  const [n, setN] = useState(0);
  const deliveries = useLoad(() => call<List<Delivery>>("GET", `/webhooks/${encodeURIComponent(props.id)}/deliveries`), [props.id, n]);
  const [error, setError] = useState<unknown>(undefined);
  const w = current ?? hook.data;
  const act = (p: Promise<unknown>) => {
    setError(undefined);
    p.then(
      () => setN((x) => x + 1),
      (e: unknown) => setError(e),
    );
  };
  return (
    <article aria-labelledby="webhook-title">
      <p>
        <Link href="/console/webhooks">← Webhook endpoints</Link>
      </p>
      <ErrorBox error={hook.error} />
      {w && (
        <>
          <h1 id="webhook-title">{w.url}</h1>
          <p class="muted">
            endpoint #{w.id} · {w.owner.kind} #{w.owner.id} · <span class={`status status-${w.status}`}>{w.status}</span>
            {w.disabled_reason && ` (${w.disabled_reason})`}
          </p>
          <Fields
            value={{
              events: w.event_types.join(", "),
              description: w.description,
              "failing since": w.failing_since ? when(w.failing_since) : "",
              "previous secret valid until": w.previous_secret_expires_at ? when(w.previous_secret_expires_at) : "",
            }}
          />
          {w.secret && <SecretOnce secret={w.secret} />}
          <ErrorBox error={error} />
          <div class="buttons">
            <button type="button" onClick={() => act(call<Webhook>("PATCH", `/webhooks/${w.id}`, { status: w.status === "enabled" ? "disabled" : "enabled" }).then(setCurrent))}>
              {w.status === "enabled" ? "Disable" : "Enable"}
            </button>
            <button type="button" disabled={w.status !== "enabled"} onClick={() => act(call("POST", `/webhooks/${w.id}/ping`))}>
              Send test event
            </button>
            <ConfirmButton
              label="Rotate secret"
              danger={false}
              question="Make a new signing secret? The old one keeps signing for a day."
              run={async () => setCurrent(await call<Webhook>("POST", `/webhooks/${w.id}/rotate-secret`, {}))}
            />
          </div>
          <ObjectForm
            id="webhook-edit"
            title="Edit endpoint"
            fields={WEBHOOK_FIELDS}
            initial={w as unknown as Record<string, unknown>}
            submitLabel="Save endpoint"
            done="Saved."
            submit={async (body) => setCurrent(await call<Webhook>("PATCH", `/webhooks/${w.id}`, body))}
          />
          <h2>Deliveries</h2>
          <ErrorBox error={deliveries.error} />
          {deliveries.data && (
            <Table
              caption="Deliveries, newest first"
              head={["Event", "Status", "Attempts", "Last answer", "Created", ""]} wide={[2, 4]}
              empty="Nothing delivered yet."
              rows={deliveries.data.data.map((d) => [
                d.event_type,
                d.status,
                String(d.attempts),
                d.last_status_code ? String(d.last_status_code) : show(d.last_error),
                when(d.created_at),
                <button type="button" onClick={() => act(call("POST", `/webhooks/${w.id}/deliveries/${d.id}/redeliver`))}>
                  Redeliver
                </button>,
              ])}
            />
          )}
          <h2>Delete</h2>
          <ConfirmButton
            label="Delete endpoint"
            question={`Delete the endpoint ${w.url} and its delivery log?`}
            run={async () => {
              await call("DELETE", `/webhooks/${w.id}`);
              navigate("/console/webhooks");
            }}
          />
        </>
      )}
    </article>
  );
}

// ---- provisioning --------------------------------------------------------------------------

const PROVISIONED = [
  ["site", "Site"],
  ["environment", "Environment"],
  ["container", "Container"],
  ["ftp_user", "FTP user"],
] as const;
const STATUSES = [
  ["requested", "requested"],
  ["provisioning", "provisioning"],
  ["active", "active"],
  ["failed", "failed"],
  ["deleting", "deleting"],
] as const;
const REPORT_FIELDS: FieldSpec[] = [
  { name: "kind", label: "Object kind", kind: "select", options: PROVISIONED },
  { name: "id", label: "Object id", kind: "number", required: true },
  { name: "status", label: "New status", kind: "select", options: STATUSES },
  { name: "message", label: "Message", hint: "What happened, for the customer and support (no secrets)" },
];

/** A customer's provisioned objects (sites, their environments and containers, FTP users) and their statuses. */
export function Provisioning(props: { me: Me; query: URLSearchParams }) {
  const customer = props.query.get("customer") ?? "";
  const [n, setN] = useState(0);
  const sites = useLoad(() => (customer === "" ? Promise.resolve(undefined) : call<List<Site>>("GET", `/customers/${encodeURIComponent(customer)}/sites`)), [customer, n]);
  const ftp = useLoad(() => (customer === "" ? Promise.resolve(undefined) : call<List<FtpUser>>("GET", `/customers/${encodeURIComponent(customer)}/ftp-users`)), [customer, n]);
  const find = (e: Event) => {
    e.preventDefault();
    const ref = String(new FormData(e.target as HTMLFormElement).get("customer") ?? "").trim();
    navigate(ref === "" ? "/console/provisioning" : `/console/provisioning?customer=${encodeURIComponent(ref)}`);
  };
  const state = (o: Provisioned) => <span class={`status status-${o.status}`}>{o.status}</span>;
  const rows: ComponentChildren[][] = [];
  for (const s of sites.data?.data ?? []) {
    rows.push([`site #${s.id} ${s.name} (${s.hostname})`, state(s), show(s.status_message), when(s.status_at)]);
    for (const e of s.environments) rows.push([`environment #${e.id} ${e.name}`, state(e), show(e.status_message), when(e.status_at)]);
    for (const c of s.containers) rows.push([`container #${c.id} ${c.name}`, state(c), show(c.status_message), when(c.status_at)]);
  }
  for (const f of ftp.data?.data ?? []) rows.push([`ftp_user #${f.id} ${f.username}`, state(f), show(f.status_message), when(f.status_at)]);
  return (
    <section aria-labelledby="provisioning-title">
      <h1 id="provisioning-title">Provisioning</h1>
      <search>
        <form class="search" onSubmit={find}>
          <div class="grow">
            <label for="provisioning-customer">Objects of customer (id, handle or e-mail)</label>
            <input id="provisioning-customer" name="customer" defaultValue={customer} />
          </div>
          <button type="submit">Show objects</button>
        </form>
      </search>
      <ErrorBox error={sites.error ?? ftp.error} />
      {sites.data && ftp.data && <Table caption="Provisioned objects and their statuses" head={["Object (kind #id name)", "Status", "Message", "Reported"]} wide={[3]} empty="This customer has no sites or FTP users." rows={rows} />}
      {props.me.principal.kind === "operator" ? (
        <ObjectForm
          id="status-report"
          title="Report a status"
          fields={REPORT_FIELDS}
          submitLabel="Report status"
          done="Status recorded."
          submit={async ({ kind, id, ...body }) => {
            try {
              await call("PUT", `/provisioning/${encodeURIComponent(String(kind))}/${encodeURIComponent(String(id ?? 0))}/status`, body);
            } catch (e) {
              // The kind and id travel in the address; the API names them path.kind and path.id.
              if (e instanceof Problem) throw new Problem(e.status, e.code, e.message, e.errors.map((i) => ({ ...i, field: i.field.replace(/^path\./, "") })));
              throw e;
            }
            setN((x) => x + 1);
          }}
        />
      ) : (
        <p class="muted">Provisioning systems (and operators) report statuses; resellers read them.</p>
      )}
    </section>
  );
}
