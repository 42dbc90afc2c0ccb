import type { Storage } from "../../storage/db.js";

/** Liveness facts about the process and its database, for /health and the CLI. */
export class SystemService {
  constructor(
    private readonly storage: Storage,
    private readonly startedAt: Date,
  ) {}

  async health(): Promise<{ ok: boolean; database: string; uptime_s: number }> {
    let ok = true;
    try {
      await this.storage.ping();
    } catch {
      ok = false;
    }
    return { ok, database: this.storage.dialect, uptime_s: Math.round((Date.now() - this.startedAt.getTime()) / 1000) };
  }
}
