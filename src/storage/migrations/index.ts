import type { CustosMigration } from "./helpers.js";
import { m0001Core } from "./0001_core.js";
import { m0010Tenancy } from "./0010_tenancy.js";
import { m0020Credentials } from "./0020_credentials.js";
import { m0030ExportsVerification } from "./0030_exports_verification.js";
import { m0040LiveIndexes } from "./0040_live_indexes.js";
import { m0041AuditTenancy } from "./0041_audit_tenancy.js";
import { m0050AttemptCounters } from "./0050_attempt_counters.js";
import { m0051AuditSubjectKeys } from "./0051_audit_subject_keys.js";
import { m0090Messaging } from "./0090_messaging.js";

/**
 * Every migration, in order. Migrations are immutable once released: change the schema with a
 * new numbered file. Ranges keep parallel work apart: 0001-0009 core, 0010-0019 tenancy,
 * 0020-0029 credentials, 0030-0039 exports and settings, 0040- later core changes.
 */
export const MIGRATIONS: readonly CustosMigration[] = [m0001Core, m0010Tenancy, m0020Credentials, m0030ExportsVerification, m0040LiveIndexes, m0041AuditTenancy, m0050AttemptCounters, m0051AuditSubjectKeys, m0090Messaging];
