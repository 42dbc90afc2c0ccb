/**
 * The Kysely database type. Each module adds its own tables by declaration merging
 * (`declare module "../../storage/schema.js" { interface Tables { ... } }`), so no central
 * file has to know every table and modules stay independent.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in modules
export interface Tables {}

export type Dialect = "sqlite" | "postgres";
