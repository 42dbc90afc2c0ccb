import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { forEachDialect, type TestServer, startServer } from "../helpers/harness.js";
import { type Actor, World } from "../security/world.js";
import { curl, froxlorPair } from "./client.js";

const QUOTA_COLUMNS = ["diskspace", "mysqls", "emails", "email_accounts", "email_forwarders", "email_quota", "ftps", "subdomains", "traffic"].flatMap((x) => [x, `${x}_used`]);
/** protocols.md §2 "Rows": the columns of Froxlor's panel_customers, in order. */
const PANEL_CUSTOMERS = [
  ...["customerid", "loginname", "password", "adminid", "name", "firstname", "gender", "company", "street", "zipcode", "city", "phone", "fax", "email", "customernumber", "def_language"],
  ...QUOTA_COLUMNS,
  ...["documentroot", "standardsubdomain", "guid", "ftp_lastaccountnumber", "mysql_lastaccountnumber", "deactivated", "phpenabled", "lastlogin_succ", "lastlogin_fail", "loginfail_count", "reportsent", "pop3", "imap"],
  ...["perlenabled", "dnsenabled", "theme", "custom_notes", "custom_notes_show", "lepublickey", "leprivatekey", "leregistered", "allowed_phpconfigs", "type_2fa", "data_2fa", "api_allowed", "shell_allowed", "logviewenabled", "allowed_mysqlserver", "gui_access"],
  "adminname",
];

/** The requests of Froxlor's API guide, sent with the real curl binary as the guide writes them. */
forEachDialect("Froxlor api.php with curl as in Froxlor's API guide", (dialect) => {
  let s: TestServer;
  let admin: Actor;
  let user: string;
  let secret: string;
  before(async () => {
    s = await startServer(dialect, { rateLimit: 0 });
    const w = new World(s);
    admin = await w.keyFor("operator", await w.operatorId());
    ({ user, secret } = froxlorPair(admin.key));
  });
  after(async () => s.close());

  const apiUrl = () => `${s.url}/api.php`;

  it("creates a customer the way create_customer.php does and reads it back with Customers.listing", async () => {
    const add = await curl([
      "-u",
      `${user}:${secret}`,
      "-H",
      "Content-Type: application/json",
      "-d",
      '{"command":"Customers.add","params":{"new_loginname":"webuser1","email":"webuser1@example.com","firstname":"Test","name":"Testman","customernumber":1337,"new_customer_password":"s3cret-Passw0rd"}}',
      apiUrl(),
    ]);
    assert.equal(add.status, 200, add.text);
    assert.equal(add.body.data.loginname, "webuser1");
    assert.equal(add.body.data.customernumber, "1337");
    assert.equal(add.body.data.password, "", "secret columns are present and empty");
    assert.match(add.headers, /content-type: application\/json\r\n/i);
    assert.match(add.headers, /x-ratelimit-limit: 60/i);

    const list = await curl(["-u", `${user}:${secret}`, "-H", "Content-Type: application/json", "-d", '{"command":"Customers.listing","params":{"sql_limit":10}}', apiUrl()]);
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.data.count, list.body.data.list.length);
    const row = list.body.data.list.find((r: { loginname: string }) => r.loginname === "webuser1");
    assert.equal(row.email, "webuser1@example.com");
    assert.equal(typeof row.customerid, "number", "ints are JSON numbers");
    assert.equal(row.adminname, "Platform operator");
    assert.deepEqual(Object.keys(row), PANEL_CUSTOMERS, "every panel_customers column, in Froxlor's order, then adminname");
    for (const [k, v] of Object.entries(row)) {
      if (["custom_notes", "lepublickey", "leprivatekey"].includes(k)) assert.ok(v === null || typeof v === "string", k);
      else assert.ok(typeof v === "number" || typeof v === "string", `${k}: ${JSON.stringify(v)}`);
    }
    assert.match(list.text, /^\{\n {4}"data": \{/, "pretty-printed like PHP's JSON_PRETTY_PRINT");
  });

  it("answers Customers.get by loginname, and the ?/module/function route form", async () => {
    const got = await curl(["-u", `${user}:${secret}`, "-H", "Content-Type: application/json", "-d", '{"command":"Customers.get","params":{"loginname":"webuser1"}}', apiUrl()]);
    assert.equal(got.status, 200, got.text);
    const id = got.body.data.customerid;
    const routed = await curl(["-u", `${user}:${secret}`, "-H", "Content-Type: application/json", "-d", JSON.stringify({ id }), `${apiUrl()}?/customers/get`]);
    assert.equal(routed.status, 200, routed.text);
    assert.equal(routed.body.data.loginname, "webuser1");
    // curl without -H sends form encoding; api.php reads the raw body all the same.
    const form = await curl(["-u", `${user}:${secret}`, "-d", '{"command":"Customers.listingCount"}', apiUrl()]);
    assert.equal(form.status, 200, form.text);
    assert.ok(form.body.data >= 1);
  });

  it("asks for credentials with 401 and refuses wrong ones with 403", async () => {
    const none = await curl(["-H", "Content-Type: application/json", "-d", '{"command":"Customers.listing"}', apiUrl()]);
    assert.equal(none.status, 401);
    assert.deepEqual(none.body, { message: "Unauthenticated. Please provide api user credentials." });
    assert.match(none.headers, /www-authenticate: Basic realm="API"/i);
    const wrong = await curl(["-u", `${user}:nope`, "-H", "Content-Type: application/json", "-d", '{"command":"Customers.listing"}', apiUrl()]);
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.body, { message: "Invalid authorization credentials" });
  });
});
