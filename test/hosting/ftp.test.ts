import assert from "node:assert/strict";
import { it } from "node:test";
import { checkRelativeRoot } from "../../src/modules/ftp/path.js";
import { useServer } from "../helpers/fixtures.js";
import { api, forEachDialect } from "../helpers/harness.js";

/** Ways to name a directory outside the customer's home; every one must be refused. */
const TRAVERSAL = [
  "..",
  "../",
  "../etc",
  "a/../../b",
  "a/b/../../..",
  "./..",
  "/etc/passwd",
  "//server/share",
  "\\\\server\\share",
  "..\\windows",
  "a\\..\\b",
  "C:/Windows",
  "c:",
  "~root",
  "~/x",
  "a/\u0000/b",
  "a\u0000",
  "\u0000",
  "a/\n/b",
  "a\rb",
  "tab\there",
  "del\u007f",
  "c1\u0085",
  "%2e%2e/etc",
  "%2E%2E%2Fetc",
  "a%2fb",
  "a%5c..",
  "%00",
  "\uff0e\uff0e/etc",
  "a/\uff0e\uff0e",
  "\uff0fetc",
  "...",
  ". .",
  ".. ",
  " ..",
  "a/.. /b",
  "\ud800",
  "x\udc00y",
  "a/ b",
  "b /c",
  `${"a".repeat(256)}`,
  `${"abc/".repeat(300)}x`,
];

/** Fine paths and the form they are stored in. */
const SAFE: [string, string][] = [
  ["", ""],
  [".", ""],
  ["public_html", "public_html"],
  ["./public_html/", "public_html"],
  ["a//b///c", "a/b/c"],
  ["a/./b", "a/b"],
  ["sites/blog.example.com/uploads", "sites/blog.example.com/uploads"],
  ["..hidden", "..hidden"],
  ["a..b/c", "a..b/c"],
  ["données/e\u0301t\u00e9", "données/\u00e9t\u00e9"],
  ["日本語/フォルダ", "日本語/フォルダ"],
];

it("relativeRoot: refuses every traversal form and normalises safe paths (unit)", () => {
  for (const p of TRAVERSAL) assert.equal(checkRelativeRoot(p).ok, false, JSON.stringify(p));
  for (const [p, stored] of SAFE) assert.deepEqual(checkRelativeRoot(p), { ok: true, path: stored }, JSON.stringify(p));
});

let userSeq = 0;
const ftpBody = (over: Record<string, unknown> = {}) => ({ name: "Deploy", username: `deploy${++userSeq}.${Math.random().toString(36).slice(2, 6)}`, password: "correct horse battery", relative_root: "public_html", type: "read_write", ...over });

forEachDialect("hosting: FTP users (createFTPUser, listFTPUsers, updateFTPUser, destroyFTPUser)", (dialect) => {
  const fixture = useServer(dialect, { rateLimit: 0 });

  it("creates, lists by site and environment, updates and deletes FTP users; the password never comes back", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const site = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/sites`, {
      body: { site_name: "blog", site_hostname: `blog-${dialect}.ftp.example`, container_name: "web", environment_names: ["production", "staging"], container_type: "php", container_os_id: "debian-12", container_disk_space: 100, container_size: 1 },
    });
    assert.equal(site.status, 201, site.text);
    const [prod, staging] = site.body.environments;
    const a = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { key: c.key, body: ftpBody({ site_id: site.body.id, environment_id: prod.id, relative_root: "./public_html//" }) });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.relative_root, "public_html");
    assert.equal(a.body.status, "requested");
    assert.ok(!("password" in a.body) && !a.text.includes("correct horse") && !a.text.includes("argon2"));
    const stored = await fixture.server.app.storage.db.selectFrom("ftp_users").select("password_hash").where("id", "=", a.body.id).executeTakeFirstOrThrow();
    assert.match(stored.password_hash, /^\$argon2id\$/);
    const b = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { key: c.key, body: ftpBody({ site_id: site.body.id, environment_id: staging.id, type: "read_only" }) });
    const plain = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { key: c.key, body: ftpBody({ relative_root: "" }) });
    assert.equal(plain.status, 201, plain.text);
    const all = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/ftp-users`, { key: c.key });
    assert.equal(all.body.data.length, 3);
    const bySite = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/ftp-users?site_id=${site.body.id}`, { key: c.key });
    assert.deepEqual(bySite.body.data.map((u: { id: number }) => u.id), [a.body.id, b.body.id]);
    const byEnv = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/ftp-users?environment_id=${staging.id}`, { key: c.key });
    assert.deepEqual(byEnv.body.data.map((u: { id: number }) => u.id), [b.body.id]);
    const page = await api(fixture.server.url, "GET", `/v1/customers/${c.id}/ftp-users?limit=2`, { key: c.key });
    assert.equal(page.body.has_more, true);
    const etag = a.headers.get("etag") ?? "";
    const upd = await api(fixture.server.url, "PATCH", `/v1/ftp-users/${a.body.id}`, { key: c.key, headers: { "if-match": etag }, body: { password: "another long secret", relative_root: "public_html/wp", environment_id: null } });
    assert.equal(upd.status, 200, upd.text);
    assert.deepEqual([upd.body.relative_root, upd.body.environment_id, upd.body.version], ["public_html/wp", null, 2]);
    const after = await fixture.server.app.storage.db.selectFrom("ftp_users").select("password_hash").where("id", "=", a.body.id).executeTakeFirstOrThrow();
    assert.notEqual(after.password_hash, stored.password_hash);
    assert.equal((await api(fixture.server.url, "PATCH", `/v1/ftp-users/${a.body.id}`, { key: c.key, headers: { "if-match": etag }, body: { name: "x" } })).status, 412);
    const audit = await api(fixture.server.url, "GET", `/v1/audit?operation=ftp_user.update&target_id=${a.body.id}`);
    assert.ok(!audit.text.includes("another long secret") && !audit.text.includes("argon2"), "no secret in the audit log");
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/ftp-users/${b.body.id}`, { key: c.key })).status, 204);
    assert.equal((await api(fixture.server.url, "GET", `/v1/ftp-users/${b.body.id}`, { key: c.key })).status, 404);
  });

  it("refuses every traversal attempt in relative_root with a clear error, over HTTP", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    for (const p of TRAVERSAL) {
      const res = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { body: ftpBody({ relative_root: p }) });
      assert.equal(res.status, 422, `${JSON.stringify(p)}: ${res.text}`);
      assert.equal(res.body.errors[0].field, "relative_root", JSON.stringify(p));
    }
    // A lone surrogate written as a JSON escape reaches the service as a broken string.
    const raw = `{"name":"x","username":"lone${dialect}","password":"correct horse battery","type":"read_write","relative_root":"a\\ud800b"}`;
    const lone = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { rawBody: raw, headers: { "content-type": "application/json" } });
    assert.equal(lone.status, 422, lone.text);
    const first = (await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { body: ftpBody() })).body;
    const bad = await api(fixture.server.url, "PATCH", `/v1/ftp-users/${first.id}`, { body: { relative_root: "../../etc" } });
    assert.equal(bad.status, 422);
    assert.equal((await api(fixture.server.url, "GET", `/v1/ftp-users/${first.id}`)).body.relative_root, "public_html");
    assert.equal((await api(fixture.server.url, "GET", `/v1/customers/${c.id}/ftp-users`)).body.data.length, 1, "nothing half-written");
  });

  it("enforces the ftps quota, unique user names, and sites and environments of the same customer", async () => {
    const r = await fixture.world.reseller();
    const c = await fixture.world.customer(r.id);
    const other = await fixture.world.customer(r.id);
    assert.equal((await api(fixture.server.url, "PATCH", `/v1/customers/${c.id}`, { body: { resources: { ftps: 2 } } })).status, 200);
    const one = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { key: c.key, body: ftpBody() });
    assert.equal(one.status, 201);
    const taken = await api(fixture.server.url, "POST", `/v1/customers/${other.id}/ftp-users`, { key: other.key, body: ftpBody({ username: one.body.username }) });
    assert.equal(taken.status, 409, "user names are unique across customers");
    assert.equal((await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { key: c.key, body: ftpBody() })).status, 201);
    const third = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { key: c.key, body: ftpBody() });
    assert.equal(third.status, 409, third.text);
    assert.match(third.body.detail, /quota/);
    const otherSite = await api(fixture.server.url, "POST", `/v1/customers/${other.id}/sites`, {
      body: { site_name: "x", site_hostname: `x-${dialect}.ftp.example`, container_name: "web", environment_names: ["production"], container_type: "static", container_os_id: "debian-12", container_disk_space: 10, container_size: 1 },
    });
    const cross = await api(fixture.server.url, "POST", `/v1/customers/${other.id}/ftp-users`, { body: ftpBody({ site_id: 99999999 }) });
    assert.equal(cross.status, 422);
    const wrongEnv = await api(fixture.server.url, "POST", `/v1/customers/${c.id}/ftp-users`, { body: ftpBody({ environment_id: otherSite.body.environments[0].id }) });
    assert.equal(wrongEnv.status, 422);
    for (const [body, field] of [
      [ftpBody({ password: "short" }), "password"],
      [ftpBody({ username: "Bad Name" }), "username"],
      [ftpBody({ type: "admin" }), "type"],
      [ftpBody({ relative_root: undefined }), "relative_root"],
    ] as const) {
      const res = await api(fixture.server.url, "POST", `/v1/customers/${other.id}/ftp-users`, { body });
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.errors[0].field, field);
    }
  });

  it("another tenant's FTP user answers like a missing one; deleting a site removes its FTP users", async () => {
    const a = await fixture.world.reseller();
    const b = await fixture.world.reseller();
    const b1 = await fixture.world.customer(b.id);
    const site = await api(fixture.server.url, "POST", `/v1/customers/${b1.id}/sites`, {
      body: { site_name: "gone", site_hostname: `gone-${dialect}.ftp.example`, container_name: "web", environment_names: ["production"], container_type: "static", container_os_id: "debian-12", container_disk_space: 10, container_size: 1 },
    });
    const u = await api(fixture.server.url, "POST", `/v1/customers/${b1.id}/ftp-users`, { key: b.key, body: ftpBody({ site_id: site.body.id }) });
    assert.equal(u.status, 201, u.text);
    const foreign = await api(fixture.server.url, "GET", `/v1/ftp-users/${u.body.id}`, { key: a.key });
    const absent = await api(fixture.server.url, "GET", "/v1/ftp-users/99999999", { key: a.key });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.detail, absent.body.detail);
    assert.equal((await api(fixture.server.url, "PATCH", `/v1/ftp-users/${u.body.id}`, { key: a.key, body: { name: "x" } })).status, 404);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/ftp-users/${u.body.id}`, { key: a.key })).status, 404);
    const status = await api(fixture.server.url, "PUT", `/v1/provisioning/ftp_user/${u.body.id}/status`, { body: { status: "active" } });
    assert.equal(status.status, 200, status.text);
    assert.equal((await api(fixture.server.url, "DELETE", `/v1/sites/${site.body.id}`, { key: b.key })).status, 204);
    assert.equal((await api(fixture.server.url, "GET", `/v1/ftp-users/${u.body.id}`, { key: b.key })).status, 404);
  });
});
