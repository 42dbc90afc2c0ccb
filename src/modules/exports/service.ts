import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import yazl from "yazl";
import type { Clock } from "../../core/clock.js";
import { type Context, systemContext } from "../../core/context.js";
import { AppError, notFound } from "../../core/errors.js";
import { randomToken } from "../../core/ids.js";
import { authorize } from "../../core/operations.js";
import { parseOrThrow } from "../../core/validation.js";
import type { Storage } from "../../storage/db.js";
import { AuditRepository } from "../audit/repository.js";
import type { AuditService } from "../audit/service.js";
import { type CustomerKey, CustomerRepository } from "../customers/repository.js";
import type { CustomerService } from "../customers/service.js";
import { AttemptCounters } from "../ratelimit/attempts.js";
import { ExportOps } from "./operations.js";
import { ExportRepository, type ExportJobRow } from "./repository.js";
import { type Download, type DownloadStatus, type DownloadType, downloadTypeSchema, exportRequestSchema } from "./schema.js";

export interface ExportServiceOptions {
  /** CUSTOS_DATA_DIR; archives go to <dataDir>/exports/. */
  dataDir: string;
  /** How long a download token stays valid (default 7 days). */
  ttlMs?: number;
}

/** Produces one section of the archive (one JSON file) for a customer. */
export type ExportSection = (customerId: number) => Promise<unknown>;

export interface DownloadFile {
  path: string;
  fileName: string;
  size: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Export requests per customer within 24 hours. */
const EXPORTS_PER_DAY = 10;
const SECTION_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * GDPR data exports: a request creates a job row (status pending) and runs it in-process in the
 * background; the job writes a zip of JSON files, one per registered section, and marks the row
 * ready. Pending jobs left by a stopped process are picked up again by `resumePending`.
 *
 * The download token is the credential for the file. It is looked up by its SHA-256 hash; the
 * owner can still list it (a download listing shows it), so it is also kept sealed with
 * AES-256-GCM under a key stored beside the archives: a database dump alone yields no usable token.
 */
export class ExportService {
  private readonly sections = new Map<string, ExportSection>();
  private readonly running = new Set<Promise<void>>();
  private readonly dir: string;
  private readonly ttlMs: number;
  private key: Buffer | null = null;
  private closed = false;

  constructor(
    private readonly storage: Storage,
    private readonly customers: CustomerService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    options: ExportServiceOptions,
  ) {
    this.dir = join(options.dataDir, "exports");
    this.ttlMs = options.ttlMs ?? 7 * DAY_MS;
    this.registerSection("customer", async (id) => this.customers.get(systemContext("export"), { kind: "id", value: id }));
    this.registerSection("audit_log", async (id) => this.auditEntries(id));
    customers.onPurge(async (trx, customerId) => {
      const rows = await new ExportRepository(trx).deleteFor(customerId);
      for (const r of rows) if (r.file_name) rmSync(join(this.dir, r.file_name), { force: true });
    });
  }

  /** Modules that hold data about a customer add it to every export from here on. */
  registerSection(name: string, fn: ExportSection): void {
    if (!SECTION_NAME.test(name)) throw new Error(`invalid export section name ${name}`);
    if (this.sections.has(name)) throw new Error(`export section ${name} registered twice`);
    this.sections.set(name, fn);
  }

  async request(ctx: Context, ref: string | CustomerKey, input: unknown = {}): Promise<Download> {
    authorize(ctx, ExportOps.request);
    const data = parseOrThrow(exportRequestSchema, input ?? {});
    const type: DownloadType = data.type ?? "gdpr";
    const customer = await this.customers.get(ctx, ref);
    const token = `dl_${randomToken(24)}`;
    const now = this.clock.now();
    const row = await this.storage.transaction(async (trx) => {
      // Each export builds a full archive: a few per customer and day are plenty.
      const quota = await new AttemptCounters(trx).reserve("export", String(customer.id), EXPORTS_PER_DAY, 86_400, now);
      if (!quota.ok) throw new AppError("rate_limited", `At most ${EXPORTS_PER_DAY} exports per customer and day; try again later`, { retryAfter: quota.retryAfter });
      const inserted = await new ExportRepository(trx).insert({
        customer_id: customer.id,
        type,
        status: "pending",
        token_hash: hashToken(token),
        token_sealed: this.seal(token),
        file_name: null,
        size_bytes: null,
        sections_done: 0,
        sections_total: this.sections.size,
        downloads: 0,
        error: null,
        created_at: now.toISOString(),
        completed_at: null,
        expires_at: new Date(now.getTime() + this.ttlMs).toISOString(),
        last_download_at: null,
      });
      await this.audit.record(trx, ctx, { operation: ExportOps.request.name, targetType: "customer", targetId: customer.id, details: { export_id: inserted.id, type } });
      return inserted;
    });
    // Inside a unit of work (an Idempotency-Key request) the job row is visible only after commit.
    this.storage.afterCommit(() => this.schedule(row.id));
    return this.toView(row, token);
  }

  async listDownloads(ctx: Context, ref: string | CustomerKey, type?: string): Promise<Download[]> {
    authorize(ctx, ExportOps.listDownloads);
    const t = type === undefined ? undefined : parseOrThrow(downloadTypeSchema, type, "type");
    const customer = await this.customers.get(ctx, ref);
    const rows = await new ExportRepository(this.storage.db).listFor(customer.id, t);
    return rows.map((r) => this.toView(r, this.unseal(r.token_sealed)));
  }

  /**
   * Resolves a download token to its file and counts the download. No principal check: the
   * token is the credential. Unknown -> not_found, expired -> gone, not finished -> conflict.
   */
  async download(ctx: Context, token: string): Promise<DownloadFile> {
    if (token.length > 200) throw notFound("Download");
    const repo = new ExportRepository(this.storage.db);
    const row = await repo.findByTokenHash(hashToken(token));
    if (!row) throw notFound("Download");
    // Deleting (and so anonymising) a customer revokes its downloads: the archive holds the very
    // data being erased.
    const owner = await new CustomerRepository(this.storage.db).find({ kind: "id", value: row.customer_id }, {});
    if (!owner || owner.deleted_at !== null) {
      if (row.file_name) rmSync(join(this.dir, row.file_name), { force: true });
      throw new AppError("gone", "This download was revoked: the customer has been deleted");
    }
    const status = this.statusOf(row);
    if (status === "expired") throw new AppError("gone", "This download has expired; request a new export");
    if (status === "failed") throw new AppError("gone", "This export failed; request a new export");
    if (status === "pending" || !row.file_name) throw new AppError("conflict", "The export is still being prepared; try again shortly");
    const path = join(this.dir, row.file_name);
    if (!existsSync(path)) throw new AppError("gone", "The file is no longer available; request a new export");
    await this.storage.transaction(async (trx) => {
      const counted = await new ExportRepository(trx).countDownload(row.id, this.clock.now().toISOString());
      if (!counted) throw new AppError("gone", "This download is no longer available");
      await this.audit.record(trx, ctx, { operation: ExportOps.fetch.name, targetType: "customer", targetId: row.customer_id, details: { export_id: row.id } });
    });
    return { path, fileName: `custos-${row.type}-export-${row.customer_id}-${row.id}.zip`, size: statSync(path).size };
  }

  /** Restarts jobs a previous process left pending (call once at start). */
  async resumePending(): Promise<void> {
    for (const id of await new ExportRepository(this.storage.db).pendingIds()) this.schedule(id);
  }

  /** Waits for running jobs; new ones are not started after this. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private schedule(id: number): void {
    if (this.closed) return;
    const p = new Promise<void>((resolve) => {
      setImmediate(() => {
        this.run(id)
          .catch(() => {})
          .finally(resolve);
      });
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async run(id: number): Promise<void> {
    const repo = new ExportRepository(this.storage.db);
    const job = await repo.findById(id);
    if (job?.status !== "pending") return;
    mkdirSync(this.dir, { recursive: true });
    const fileName = `export-${job.id}-${randomToken(12)}.zip`;
    const tmp = join(this.dir, `${fileName}.part`);
    try {
      const zip = new yazl.ZipFile();
      const out = createWriteStream(tmp, { mode: 0o600 });
      zip.outputStream.pipe(out);
      const names = [...this.sections.keys()];
      const generatedAt = this.clock.now().toISOString();
      let done = 0;
      for (const name of names) {
        const fn = this.sections.get(name);
        if (!fn) continue;
        const data = await fn(job.customer_id);
        zip.addBuffer(Buffer.from(`${JSON.stringify(data, null, 2)}\n`), `${name}.json`, { mtime: new Date(generatedAt) });
        done++;
        await repo.update(id, { sections_done: done, sections_total: names.length });
      }
      const manifest = { format: "custos-export/1", type: job.type, customer_id: job.customer_id, generated_at: generatedAt, sections: names.map((n) => `${n}.json`) };
      zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), "manifest.json", { mtime: new Date(generatedAt) });
      zip.end();
      await finished(out);
      renameSync(tmp, join(this.dir, fileName));
      await repo.update(id, { status: "ready", file_name: fileName, size_bytes: statSync(join(this.dir, fileName)).size, completed_at: this.clock.now().toISOString() });
    } catch (error) {
      rmSync(tmp, { force: true });
      await repo.update(id, { status: "failed", error: (error as Error).message.slice(0, 500), completed_at: this.clock.now().toISOString() }).catch(() => {});
    }
  }

  private async auditEntries(customerId: number): Promise<unknown[]> {
    const repo = new AuditRepository(this.storage.db);
    const out: unknown[] = [];
    let after: number | undefined;
    for (;;) {
      // Everything recorded about the customer: its record, its keys, its sessions.
      const rows = await repo.list({}, { kind: "customer", customerId }, 500, after, undefined);
      out.push(...(await this.audit.views(this.storage.db, rows)));
      const last = rows[rows.length - 1];
      if (!last || rows.length < 500) return out.reverse();
      after = last.id;
    }
  }

  private statusOf(row: ExportJobRow): DownloadStatus {
    if (row.status === "ready" && row.expires_at <= this.clock.now().toISOString()) return "expired";
    return row.status as DownloadStatus;
  }

  private toView(row: ExportJobRow, token: string): Download {
    return {
      object: "download",
      id: row.id,
      customer_id: row.customer_id,
      type: row.type,
      token,
      status: this.statusOf(row),
      progress: { sections_done: row.sections_done, sections_total: row.sections_total },
      downloads: row.downloads,
      size_bytes: row.size_bytes,
      created_at: row.created_at,
      completed_at: row.completed_at,
      expires_at: row.expires_at,
    };
  }

  private tokenKey(): Buffer {
    if (this.key) return this.key;
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, ".token-key");
    if (!existsSync(file)) {
      try {
        writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    this.key = Buffer.from(readFileSync(file, "utf8").trim(), "hex");
    return this.key;
  }

  private seal(token: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.tokenKey(), iv);
    const body = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
  }

  private unseal(sealed: string): string {
    try {
      const [iv, tag, body] = sealed.split(".").map((p) => Buffer.from(p, "base64url"));
      if (!iv || !tag || !body) return "";
      const decipher = createDecipheriv("aes-256-gcm", this.tokenKey(), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
    } catch {
      // A lost or replaced key makes old tokens unreadable; they can still be downloaded by whoever holds them.
      return "";
    }
  }
}
