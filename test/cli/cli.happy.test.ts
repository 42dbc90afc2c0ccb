import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { createApp } from "../../src/app.js";
import { systemContext } from "../../src/core/context.js";
import { run } from "../../src/cli/program.js";
import { describeError, io } from "../../src/cli/runtime.js";
import { createTestDatabase, forEachDialect, OPERATOR_KEY, type TestDatabase, testConfig } from "../helpers/harness.js";

const MAIN = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the command line in this process (the program the `custos` binary runs), with its
 * environment pointing at the test database, and captures what it prints.
 */
async function cli(db: TestDatabase, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const vars: Record<string, string> = { CUSTOS_DATA_DIR: db.dataDir, DATABASE_URL: db.url ?? "", CUSTOS_BOOTSTRAP_KEY: OPERATOR_KEY, CUSTOS_API_KEY: "", ...env };
  const saved = { ...io };
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  let stdout = "";
  let stderr = "";
  io.out = (t) => {
    stdout += t;
  };
  io.err = (t) => {
    stderr += t;
  };
  Object.assign(process.env, vars);
  try {
    let code: number;
    try {
      code = await run(args);
    } catch (error) {
      stderr += describeError(error);
      code = 1;
    }
    return { code, stdout, stderr };
  } finally {
    Object.assign(io, saved);
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The real binary as its own process, for what only a process shows (exit status, shebang entry). */
function spawnCli(db: TestDatabase, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
      env: { ...process.env, CUSTOS_DATA_DIR: db.dataDir, DATABASE_URL: db.url ?? "", CUSTOS_BOOTSTRAP_KEY: OPERATOR_KEY, CUSTOS_API_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const json = (r: CliResult) => {
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout);
};

const CSV = [
  "External ID,E-Mail,First Name,Surname,Company,Country,Phone,tag:plan",
  "crm-1,ann@example.com,Ann,Smith,,NL,+31201234567,gold",
  "crm-2,bob@example.com,Bob,Jones,,DE,,silver",
  // line 4: not an e-mail, unknown country
  "crm-3,not-an-address,Cy,Doe,,XX,,",
  // line 5: neither company nor both names
  "crm-4,dan@example.com,Dan,,,NL,,",
  "crm-5,eve@example.com,,,Eve Hosting BV,BE,,gold",
  // line 7: the same e-mail again under another external id: taken by line 2
  "crm-6,ann@example.com,Ann,Other,,NL,,",
  "",
].join("\n");

forEachDialect("command line", (dialect) => {
  let db: TestDatabase;
  let dir: string;
  before(async () => {
    db = await createTestDatabase(dialect);
    dir = db.dataDir;
  });
  after(async () => db.drop());

  it("creates, reads, lists, changes and deletes a customer through the same rules as the API", async () => {
    const created = json(await cli(db, ["--json", "customers", "create", "--data", '{"email":"jane@example.com","first_name":"Jane","last_name":"Doe","country":"NL"}']));
    assert.equal(created.email, "jane@example.com");
    assert.match(created.login, /^cust\d+$/);
    const got = json(await cli(db, ["--json", "customers", "get", "jane@example.com"]));
    assert.equal(got.id, created.id);
    const updated = json(await cli(db, ["--json", "customers", "update", String(created.id), "--set", "city=Amsterdam", "--if-version", "1"]));
    assert.equal(updated.city, "Amsterdam");
    assert.equal(updated.version, 2);
    const table = await cli(db, ["customers", "list", "--filter", "email:prefix=jane"]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ID\s+HANDLE\s+LOGIN\s+EMAIL/);
    assert.match(table.stdout, /jane@example\.com/);
    const deleted = json(await cli(db, ["--json", "customers", "delete", String(created.id)]));
    assert.equal(deleted.deleted, true);
  });

  it("answers bad input with the API's field messages and exit status 1, writing nothing", async () => {
    const r = await spawnCli(db, ["customers", "create", "--set", "email=nope", "--set", "country=XX"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /validation_failed/);
    assert.match(r.stderr, /email: must be a valid e-mail address/);
    assert.match(r.stderr, /country: must be an ISO 3166-1 alpha-2 country code/);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace");
    // The binary's own output path: a listing printed on standard output.
    const listed = await spawnCli(db, ["--json", "customers", "list", "--filter", "email=nope"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).data, []);
    const none = json(await cli(db, ["--json", "customers", "list", "--filter", "email=nope"]));
    assert.equal(none.data.length, 0);
  });

  it("manages resellers and keys, showing a key's secret only when it is created", async () => {
    const reseller = json(await cli(db, ["--json", "resellers", "create", "--name", "Hoster BV", "--email", "ops@hoster.example"]));
    assert.equal(reseller.kind, "reseller");
    const listed = json(await cli(db, ["--json", "resellers", "list"]));
    assert.ok(listed.data.some((r: { id: number }) => r.id === reseller.id));
    const key = json(await cli(db, ["--json", "keys", "create", "--name", "automation", "--for", `reseller:${reseller.id}`, "--role", "technical"]));
    assert.match(key.secret, /^ck_/);
    const keys = json(await cli(db, ["--json", "keys", "list", "--for", `reseller:${reseller.id}`]));
    assert.equal(keys.data.length, 1);
    assert.equal(keys.data[0].secret, undefined);
    assert.ok(!JSON.stringify(keys).includes(key.secret));
    const revoked = json(await cli(db, ["--json", "keys", "revoke", String(key.id)]));
    assert.notEqual(revoked.revoked_at, null);
  });

  it("acts with an operator key when CUSTOS_API_KEY is set, and refuses any other key", async () => {
    const reseller = json(await cli(db, ["--json", "resellers", "create", "--name", "Other BV", "--email", "ops@other.example"]));
    const key = json(await cli(db, ["--json", "keys", "create", "--name", "r", "--for", `reseller:${reseller.id}`]));
    const refused = await cli(db, ["customers", "list"], { CUSTOS_API_KEY: key.secret });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /forbidden/);
    const ok = await cli(db, ["--json", "customers", "list"], { CUSTOS_API_KEY: OPERATOR_KEY });
    assert.equal(ok.code, 0, ok.stderr);
  });

  it("dry-runs an import: every bad row with its line and field, nothing written", async () => {
    const file = join(dir, "dry.csv");
    writeFileSync(file, CSV);
    const r = await cli(db, ["import", "customers", file, "--dry-run", "--no-progress"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /line 4: email: must be a valid e-mail address/);
    assert.match(r.stderr, /line 4: country: must be an ISO 3166-1 alpha-2 country code/);
    assert.match(r.stderr, /line 5: last_name: is required unless company is set/);
    assert.match(r.stderr, /line 7: email: is already in use/);
    assert.match(r.stderr, /would create 3, skipped 0/);
    const none = json(await cli(db, ["--json", "customers", "list", "--filter", "external_id:prefix=crm-"]));
    assert.equal(none.data.length, 0);
  });

  it("refuses a file with a column it cannot map, naming it", async () => {
    const file = join(dir, "unknown.csv");
    writeFileSync(file, "email,first_name,last_name,shoe_size\na@example.com,A,B,42\n");
    const r = await cli(db, ["import", "customers", file, "--no-progress"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown column "shoe_size"/);
    const mapped = await cli(db, ["import", "customers", file, "--no-progress", "--map", "shoe_size=metadata.shoe_size"]);
    assert.equal(mapped.code, 0, mapped.stderr);
    const c = json(await cli(db, ["--json", "customers", "get", "a@example.com"]));
    assert.deepEqual(c.metadata, { shoe_size: "42" });
  });

  it("imports good rows with audit entries, reports the bad ones, and a second run creates nobody", async () => {
    const file = join(dir, "import.csv");
    writeFileSync(file, CSV);
    const first = await cli(db, ["import", "customers", file, "--batch", "2", "--no-progress"]);
    assert.equal(first.code, 1, "bad rows make the exit status 1");
    assert.match(first.stderr, /created 3, skipped 0 \(already present\), 3 bad/);
    assert.match(first.stderr, /rows\/s/);
    const ann = json(await cli(db, ["--json", "customers", "get", "external:crm-1"]));
    assert.equal(ann.email, "ann@example.com");
    assert.equal(ann.last_name, "Smith");
    assert.equal(ann.phone, "+31.201234567");
    assert.deepEqual(ann.tags, [{ key: "plan", value: "gold" }]);
    assert.match(ann.login, /^cust\d+$/);
    assert.equal(ann.customer_number, String(10000 + ann.id));
    const eve = json(await cli(db, ["--json", "customers", "get", "external:crm-5"]));
    assert.equal(eve.company, "Eve Hosting BV");

    const again = await cli(db, ["import", "customers", file, "--restart", "--no-progress"]);
    assert.match(again.stderr, /created 0, skipped 3 \(already present\), 3 bad/);
    const count = json(await cli(db, ["--json", "customers", "list", "--filter", "external_id:prefix=crm-", "--total"]));
    assert.equal(count.total, 3);

    const app = await createApp(testConfig(db));
    try {
      const trail = await app.services.auditReader.list(systemContext(), { target_type: "customer", target_id: String(ann.id) });
      assert.equal(trail.data.length, 1);
      assert.equal(trail.data[0]?.operation, "customer.create");
      assert.equal(trail.data[0]?.protocol, "cli");
      assert.equal((trail.data[0]?.details as { line?: number } | undefined)?.line, 2);
    } finally {
      await app.close();
    }
    const verify = await cli(db, ["audit", "verify"]);
    assert.equal(verify.code, 0, verify.stdout);
    assert.match(verify.stdout, /audit chain intact/);
  });

  it("gives an imported customer the login create would, stepping past one somebody chose already", async () => {
    const newest = json(await cli(db, ["--json", "customers", "list", "--sort", "-id", "--limit", "1", "--deleted"]));
    const top: number = newest.data[0]?.id ?? 0;
    // This customer takes id top+1 and, by choice, the login the next id would be given.
    json(await cli(db, ["--json", "customers", "create", "--set", "email=chooser@example.com", "--set", "company=Chooser", "--set", `login=cust${top + 2}`]));
    const file = join(dir, "clash.csv");
    writeFileSync(file, "email,company\nclash@example.com,Clash Ltd\n");
    const r = await cli(db, ["import", "customers", file, "--no-progress"]);
    assert.equal(r.code, 0, r.stderr);
    const c = json(await cli(db, ["--json", "customers", "get", "clash@example.com"]));
    assert.equal(c.id, top + 2);
    assert.equal(c.login, `cust${top + 2}-1`);
    assert.equal(c.customer_number, String(10000 + top + 2));
  });

  it("resumes an interrupted import after the last committed batch", async () => {
    const lines = ["external_id,email,first_name,last_name,country"];
    for (let i = 1; i <= 10; i++) lines.push(`res-${i},res${i}@example.com,R,Number${i},NL`);
    const file = join(dir, "resume.csv");
    writeFileSync(file, `${lines.join("\n")}\n`);
    // Run the first batch the way the CLI does, then stop, as if the process had been killed.
    const app = await createApp(testConfig(db));
    try {
      const { createHash } = await import("node:crypto");
      const content = readFileSync(file);
      const source = `resume.csv:${content.length}:${createHash("sha256").update(content).digest("hex").slice(0, 32)}`;
      const ctx = systemContext("cli");
      const run = await app.services.customerImport.begin(ctx, { source });
      const rows = lines.slice(1, 5).map((l, i) => {
        const [external_id, email, first_name, last_name, country] = l.split(",");
        return { line: i + 2, data: { external_id, email, first_name, last_name, country } };
      });
      const r = await app.services.customerImport.importBatch(ctx, run.id, rows, 5);
      assert.equal(r.created, 4);
    } finally {
      await app.close();
    }
    const resumed = await cli(db, ["import", "customers", file, "--no-progress"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /resuming import imp_\S+ after line 5 \(4 created/);
    assert.match(resumed.stderr, /6 rows .* created 6, skipped 0/);
    const all = json(await cli(db, ["--json", "customers", "list", "--filter", "external_id:prefix=res-", "--total"]));
    assert.equal(all.total, 10);
  });

  it("imports JSON lines and exports CSV that imports back as it is", async () => {
    const file = join(dir, "in.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ external_id: "jl-1", email: "jl1@example.com", first_name: "Jay", last_name: "Ell", country: "NL", resources: { diskspace_mb: 500 } }),
        "{ not json",
        JSON.stringify({ external_id: "jl-2", email: "jl2@example.com", company: "JL Ltd", country: "GB" }),
        "",
      ].join("\n"),
    );
    const imported = await cli(db, ["import", "customers", file, "--no-progress"]);
    assert.match(imported.stderr, /line 2: \(line\): is not a JSON object/);
    assert.match(imported.stderr, /created 2/);
    const out = join(dir, "out.csv");
    const exported = await cli(db, ["export", "customers", "--filter", "external_id:prefix=jl-", "-o", out, "--no-progress"]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /exported 2 customers/);
    const csv = readFileSync(out, "utf8");
    assert.match(csv.split("\n")[0] ?? "", /^id,handle,login,customer_number,external_id,email/);
    assert.match(csv, /"{""diskspace_mb"":500}"/);
    const back = await cli(db, ["import", "customers", out, "--no-progress"]);
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stderr, /ignoring columns: id, handle/);
    assert.match(back.stderr, /created 0, skipped 2/);
    const jsonlFile = join(dir, "out.jsonl");
    const jsonl = await cli(db, ["export", "customers", "--filter", "country=GB", "--columns", "external_id,email,company", "-o", jsonlFile, "--no-progress"]);
    assert.equal(jsonl.code, 0, jsonl.stderr);
    assert.deepEqual(
      readFileSync(jsonlFile, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
      [{ external_id: "jl-2", email: "jl2@example.com", company: "JL Ltd" }],
    );
  });
});
