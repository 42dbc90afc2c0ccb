import type { Executor } from "../../storage/db.js";
import { withDbErrors } from "../../storage/db-errors.js";

interface SigningSecretsTable {
  key_id: number;
  sealed_secret: string;
  created_at: string;
}

interface SignatureReplaysTable {
  digest: string;
  key_id: number;
  expires_at: string;
}

declare module "../../storage/schema.js" {
  interface Tables {
    api_key_signing_secrets: SigningSecretsTable;
    signature_replays: SignatureReplaysTable;
  }
}

export class SigningRepository {
  constructor(private readonly db: Executor) {}

  async put(keyId: number, sealed: string, at: string): Promise<void> {
    await this.db.deleteFrom("api_key_signing_secrets").where("key_id", "=", keyId).execute();
    await this.db.insertInto("api_key_signing_secrets").values({ key_id: keyId, sealed_secret: sealed, created_at: at }).execute();
  }

  async sealedSecret(keyId: number): Promise<string | undefined> {
    const row = await this.db.selectFrom("api_key_signing_secrets").select("sealed_secret").where("key_id", "=", keyId).executeTakeFirst();
    return row?.sealed_secret;
  }

  /** Records a signature as used; a conflict (catalogue `conflict`) means it was used before. */
  async remember(digest: string, keyId: number, expiresAt: string): Promise<void> {
    await withDbErrors(() => this.db.insertInto("signature_replays").values({ digest, key_id: keyId, expires_at: expiresAt }).execute());
  }

  async forgetBefore(at: string): Promise<void> {
    await this.db.deleteFrom("signature_replays").where("expires_at", "<", at).execute();
  }
}
