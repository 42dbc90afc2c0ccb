import type { CustosMigration } from "./helpers.js";
import { m0001Core } from "./0001_core.js";
import { m0010Tenancy } from "./0010_tenancy.js";
import { m0020Credentials } from "./0020_credentials.js";
import { m0030ExportsVerification } from "./0030_exports_verification.js";
import { m0040LiveIndexes } from "./0040_live_indexes.js";
import { m0041AuditTenancy } from "./0041_audit_tenancy.js";
import { m0050AttemptCounters } from "./0050_attempt_counters.js";
import { m0051AuditSubjectKeys } from "./0051_audit_subject_keys.js";
import { m0060Settings } from "./0060_settings.js";
import { m0061IpPools } from "./0061_ip_pools.js";
import { m0062Notices } from "./0062_notices.js";
import { m0063Contacts } from "./0063_contacts.js";
import { m0064Sites } from "./0064_sites.js";
import { m0065FtpUsers } from "./0065_ftp_users.js";
import { m0066Bandwidth } from "./0066_bandwidth.js";
import { m0070PlansBudgetsUsage } from "./0070_plans_budgets_usage.js";
import { m0080AccountLogin } from "./0080_account_login.js";
import { m0090Messaging } from "./0090_messaging.js";
import { m0100Events } from "./0100_events.js";
import { m0101NoticeDeliveries } from "./0101_notice_deliveries.js";
import { m0110CustomerImports } from "./0110_customer_imports.js";
import { m0120ApiKeySigning } from "./0120_api_key_signing.js";
import { m0130AuditSealer } from "./0130_audit_sealer.js";

/**
 * Every migration, in order. Migrations are immutable once released: change the schema with a
 * new numbered file. Ranges keep parallel work apart: 0001-0009 core, 0010-0019 tenancy,
 * 0020-0029 credentials, 0030-0039 exports and settings, 0040- later core changes.
 */
export const MIGRATIONS: readonly CustosMigration[] = [m0001Core, m0010Tenancy, m0020Credentials, m0030ExportsVerification, m0040LiveIndexes, m0041AuditTenancy, m0050AttemptCounters, m0051AuditSubjectKeys, m0060Settings, m0061IpPools, m0062Notices, m0063Contacts, m0064Sites, m0065FtpUsers, m0066Bandwidth, m0070PlansBudgetsUsage, m0080AccountLogin, m0090Messaging, m0100Events, m0101NoticeDeliveries, m0110CustomerImports, m0120ApiKeySigning, m0130AuditSealer];
