import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { connect } from "node:net";
import { promisify } from "node:util";
import { after, before, it } from "node:test";
import xmlrpc from "xmlrpc";
import { api, forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { type EverlyticUser, everlyticUser } from "./helpers.js";

function call(client: xmlrpc.Client, method: string, params: unknown[]): Promise<any> {
  return new Promise((resolve, reject) => client.methodCall(method, params, (err, value) => (err ? reject(err) : resolve(value))));
}

/** The whole scenario with Python's standard xmlrpc.client, credentials in the URL. */
const PYTHON_SCENARIO = `
import json, sys, urllib.parse, xmlrpc.client
base, user, key, pkg = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
host = base.split("//", 1)[1]
proxy = xmlrpc.client.ServerProxy("http://%s:%s@%s/api/2.0/xmlrpc/" % (urllib.parse.quote(user, safe=""), key, host))
out = {}
cid = proxy.customers.CreateCustomer({"name": "Py Thon", "email": "python@clients.example", "country": "ZA", "email_package_id": pkg, "email_quota": 100})
out["created"] = cid
out["got"] = proxy.customers.GetCustomer(cid)
out["updated"] = proxy.customers.UpdateCustomer(cid, {"status": "suspended", "email_quota": 80, "sms_quota": 10})
out["after_update"] = proxy.GetCustomer(cid)
for i in range(3):
    proxy.CreateCustomer({"name": "Page %d" % i, "email": "py-page%d@clients.example" % i})
out["page1"] = [c["email"] for c in proxy.customers.ListCustomers(1, 2, "email", "ASC", {})]
out["page2"] = [c["email"] for c in proxy.customers.ListCustomers(2, 2, "email", "ASC", {})]
out["deleted"] = proxy.customers.DeleteCustomer(cid)
out["after_delete"] = proxy.customers.GetCustomer(cid)
faults = {}
for name, thunk in [("missing", lambda: proxy.customers.GetCustomer(987654)), ("bad_type", lambda: proxy.customers.UpdateCustomer(cid, {"email_quota": "lots"})), ("bad_id", lambda: proxy.customers.GetCustomer("twelve")), ("unknown", lambda: proxy.customers.Nope())]:
    try:
        thunk()
        faults[name] = None
    except xmlrpc.client.Fault as f:
        faults[name] = [f.faultCode, f.faultString]
out["faults"] = faults
out["methods"] = proxy.system.listMethods()
bad = xmlrpc.client.ServerProxy("http://%s:%s@%s/api/2.0/xmlrpc" % (urllib.parse.quote(user, safe=""), "ck_wrong", host))
try:
    bad.GetCustomer(cid)
    out["bad_auth"] = None
except xmlrpc.client.Fault as f:
    out["bad_auth"] = [f.faultCode, f.faultString]
print(json.dumps(out))
`;

forEachDialect("Everlytic XML-RPC with the real clients (npm xmlrpc, python3 xmlrpc.client, raw HTTP/1.0)", (dialect) => {
  let s: TestServer;
  let user: EverlyticUser;
  let pkg: number;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    user = await everlyticUser(s);
    pkg = (await api(s.url, "POST", "/v1/message-packages", { body: { kind: "email", name: "Clients 1k", volume: 1000, period: "monthly", price: "99.00", currency: "ZAR" } })).body.id;
  });
  after(async () => s.close());

  const client = (path = "/api/2.0/xmlrpc/", pass?: string) =>
    xmlrpc.createClient({ host: "127.0.0.1", port: Number(new URL(s.url).port), path, basic_auth: { user: user.username, pass: pass ?? user.apikey } });

  it("npm xmlrpc: create, get, update status and quotas, list pages, delete, faults for a missing id and bad types", async () => {
    const c = client();
    const id = await call(c, "customers.CreateCustomer", [{ name: "Nomvula Dlamini", email: "nomvula@clients.example", industry: "Hospitality, Travel & Tourism", email_package_id: pkg, email_quota: 500, unique_id: "NPM-1" }]);
    assert.equal(typeof id, "number");
    const got = await call(c, "customers.GetCustomer", [id]);
    assert.equal(got.name, "Nomvula Dlamini");
    assert.equal(got.status, "on");
    assert.equal(got.deleted, "no");
    assert.equal(got.email_quota, 500);
    assert.equal(got.industry, "Hospitality, Travel & Tourism");
    assert.equal(await call(c, "UpdateCustomer", [id, { status: "suspended", email_quota: 450, transactions_quota: 20 }]), id, "bare method names work too");
    const updated = await call(c, "customers.GetCustomer", [id]);
    assert.equal(updated.status, "suspended");
    assert.equal(updated.email_quota, 450);
    assert.equal(updated.transactions_quota, 20);
    const lc = await api(s.url, "GET", `/v1/customers/${id}/lifecycle`);
    assert.equal(lc.body.status, "suspended", "the life-cycle transition ran");
    assert.equal(await call(c, "customers.UpdateCustomer", [id, { status: "on" }]), id);
    for (let i = 0; i < 3; i++) await call(c, "customers.CreateCustomer", [{ name: `Npm Page${i}`, email: `npm-page${i}@clients.example` }]);
    const p1 = await call(c, "customers.ListCustomers", [1, 2, "email", "ASC", {}]);
    const p2 = await call(c, "customers.ListCustomers", [2, 2, "email", "ASC", {}]);
    assert.deepEqual(p1.map((x: { email: string }) => x.email), ["nomvula@clients.example", "npm-page0@clients.example"]);
    assert.deepEqual(p2.map((x: { email: string }) => x.email), ["npm-page1@clients.example", "npm-page2@clients.example"]);
    assert.equal((await call(c, "customers.ListCustomers", [])).length, 4, "every parameter has a default");
    assert.equal(await call(c, "customers.DeleteCustomer", [id]), id);
    const gone = await call(c, "customers.GetCustomer", [id]);
    assert.equal(gone.status, "deleted");
    assert.equal(gone.deleted, "yes");
    await assert.rejects(call(c, "customers.GetCustomer", [987654]), (e: { faultCode: number; faultString: string }) => e.faultCode === 404 && e.faultString === "Customer not found");
    await assert.rejects(call(c, "customers.UpdateCustomer", [id, { sms_quota: "many" }]), (e: { faultCode: number; faultString: string }) => e.faultCode === 400 && /sms_quota/.test(e.faultString));
    await assert.rejects(call(c, "customers.GetCustomer", [{ id }]), (e: { faultCode: number }) => e.faultCode === 400);
    await assert.rejects(call(c, "customers.GetCustomer", []), (e: { faultString: string }) => /takes 1 parameter, not 0/.test(e.faultString));
    await assert.rejects(call(client("/api/2.0/xmlrpc", "ck_wrong"), "customers.GetCustomer", [1]), (e: { faultCode: number }) => e.faultCode === 401, "without the trailing slash, wrong key: a 401 fault");
  });

  it("python3 xmlrpc.client with credentials in the URL runs the same scenario", async () => {
    const py = await everlyticUser(s, "Python Reseller");
    const { stdout } = await promisify(execFile)("python3", ["-c", PYTHON_SCENARIO, s.url, py.username, py.apikey, String(pkg)], { encoding: "utf8" });
    const out = JSON.parse(stdout);
    assert.equal(out.got.name, "Py Thon");
    assert.equal(out.got.email_package_id, pkg);
    assert.equal(out.updated, out.created);
    assert.equal(out.after_update.status, "suspended");
    assert.equal(out.after_update.email_quota, 80);
    assert.equal(out.after_update.sms_quota, 10);
    assert.deepEqual(out.page1, ["py-page0@clients.example", "py-page1@clients.example"]);
    assert.deepEqual(out.page2, ["py-page2@clients.example", "python@clients.example"]);
    assert.equal(out.deleted, out.created);
    assert.equal(out.after_delete.deleted, "yes");
    assert.deepEqual(out.faults.missing, [404, "Customer not found"]);
    assert.equal(out.faults.bad_type[0], 400);
    assert.match(out.faults.bad_type[1], /email_quota/);
    assert.equal(out.faults.bad_id[0], 400);
    assert.deepEqual(out.faults.unknown, [404, "Unknown method customers.Nope"]);
    assert.ok(out.methods.includes("customers.UpdateCustomer") && out.methods.includes("UpdateCustomer") && out.methods.includes("system.listMethods"));
    assert.equal(out.bad_auth[0], 401);
  });

  it("answers an HTTP/1.0 request (the SDK's) with a plain, non-chunked 200 and closes", async () => {
    const body = `<?xml version="1.0"?>\n<methodCall>\n<methodName>customers.GetCustomer</methodName>\n<params>\n<param>\n<value><int>987654</int></value>\n</param>\n</params>\n</methodCall>\n`;
    const auth = Buffer.from(`${user.username}:${user.apikey}`).toString("base64");
    const port = Number(new URL(s.url).port);
    const raw = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const sock = connect(port, "127.0.0.1", () => {
        sock.write(`POST /api/2.0/xmlrpc/ HTTP/1.0\r\nHost: 127.0.0.1\r\nUser-Agent: Everlytic Plugin\r\nContent-Type: text/xml\r\nAuthorization: Basic ${auth}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
      sock.on("data", (d) => chunks.push(d));
      sock.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      sock.on("error", reject);
    });
    const [head = "", payload = ""] = raw.split("\r\n\r\n");
    assert.match(head, /^HTTP\/1\.[01] 200 OK/);
    assert.doesNotMatch(head, /transfer-encoding: chunked/i);
    assert.match(head, /content-length: \d+/i);
    assert.match(payload, /<fault>.*<name>faultCode<\/name><value><int>404<\/int><\/value>.*Customer not found/);
  });
});
