/**
 * Synthetic customers for the benchmarks. Every row is a pure function of its id, so a scenario
 * can name an existing handle or e-mail without reading the database first.
 */

const FIRST = [
  "Anna", "Bart", "Chloe", "Daan", "Emma", "Finn", "Greta", "Hugo", "Ines", "Jonas", "Katrin", "Lars", "Mila", "Noah", "Olga", "Pieter",
  "Quinn", "Rosa", "Sven", "Tess", "Ulla", "Victor", "Wendy", "Xavier", "Yara", "Jan", "Sophie", "Lucas", "Marie", "Thomas", "Julia", "Max",
];
// Several names start with "Sm" so the list scenario's prefix filter matches a realistic share.
const LAST = [
  "Smith", "Smit", "Smits", "Smolders", "Smirnov", "Smeets", "Jansen", "de Vries", "Bakker", "Visser", "Meijer", "Mulder", "Bos", "Vos",
  "Peters", "Hendriks", "Dekker", "Brouwer", "de Jong", "van Dijk", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
  "Becker", "Schulz", "Hoffmann", "Dubois", "Martin", "Bernard", "Laurent", "Rossi", "Russo", "Ferrari", "Garcia", "Lopez", "Novak",
  "Kowalski", "Nowak", "Nielsen", "Hansen", "Johansson", "Andersson", "Brown", "Taylor", "Wilson", "Evans",
];
// Weighted: the Netherlands and Germany dominate, as in a typical European registrar's book.
const COUNTRIES: [string, string, number][] = [
  ["NL", "Amsterdam", 30],
  ["DE", "Berlin", 25],
  ["BE", "Brussels", 8],
  ["FR", "Paris", 8],
  ["GB", "London", 7],
  ["US", "New York", 6],
  ["AT", "Vienna", 4],
  ["CH", "Zurich", 4],
  ["IT", "Milan", 3],
  ["ES", "Madrid", 3],
  ["PL", "Warsaw", 2],
];
const COUNTRY_TABLE: [string, string][] = COUNTRIES.flatMap(([c, city, w]) => Array.from({ length: w }, () => [c, city] as [string, string]));

/** A cheap, well-mixed integer hash so neighbouring ids get unrelated names. */
function mix(n: number, salt: number): number {
  let x = (n ^ (salt * 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

const pick = <T>(list: readonly T[], id: number, salt: number): T => list[mix(id, salt) % list.length] as T;

const EPOCH = Date.parse("2019-01-01T00:00:00Z");
const SPAN_MS = 5 * 365 * 24 * 3600 * 1000;

export interface SeedRow {
  id: number;
  handle: string;
  login: string;
  customer_number: string;
  email: string;
  status: string;
  owner_id: number;
  first_name: string;
  last_name: string;
  company: string;
  street: string;
  house_number: string;
  zipcode: string;
  city: string;
  country: string;
  phone: string;
  locale: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export const SEED_COLUMNS = [
  "id",
  "handle",
  "login",
  "customer_number",
  "email",
  "status",
  "owner_id",
  "first_name",
  "last_name",
  "company",
  "street",
  "house_number",
  "zipcode",
  "city",
  "country",
  "phone",
  "locale",
  "created_at",
  "updated_at",
  "version",
] as const satisfies readonly (keyof SeedRow)[];

function ascii(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toUpperCase();
}

export function handleOf(id: number, first: string, last: string, country: string): string {
  // Unique because the six digits are the id; ids from a million up get a reserved letter pair.
  const initials = id < 1_000_000 ? ascii(first).charAt(0) + ascii(last).charAt(0) : `Z${String.fromCharCode(65 + (Math.floor(id / 1_000_000) % 26))}`;
  return `${initials}${String(id % 1_000_000).padStart(6, "0")}-${country}`;
}

export function seedRow(id: number, ownerId: number, total: number): SeedRow {
  const first = pick(FIRST, id, 1);
  const last = pick(LAST, id, 2);
  const [country, city] = pick(COUNTRY_TABLE, id, 3);
  // created_at rises with id over five years, as a real book grows.
  const created = new Date(EPOCH + Math.floor((SPAN_MS * id) / Math.max(total, 1)) + (mix(id, 4) % 3_600_000)).toISOString();
  const hasCompany = mix(id, 5) % 5 === 0;
  return {
    id,
    handle: handleOf(id, first, last, country),
    login: `cust${id}`,
    customer_number: String(10000 + id),
    email: `${ascii(first).toLowerCase()}.${ascii(last).toLowerCase()}.${id}@example.com`,
    status: mix(id, 6) % 50 === 0 ? "suspended" : "active",
    owner_id: ownerId,
    first_name: first,
    last_name: last,
    company: hasCompany ? `${last} ${pick(["B.V.", "GmbH", "Ltd", "SARL", "AG"], id, 7)}` : "",
    street: `${pick(["Main", "Church", "Station", "Mill", "Park", "Garden"], id, 8)} Street`,
    house_number: String(1 + (mix(id, 9) % 200)),
    zipcode: String(10000 + (mix(id, 10) % 89999)),
    city,
    country,
    phone: `+31.${String(200000000 + (mix(id, 11) % 700000000))}`,
    locale: country === "DE" || country === "AT" || country === "CH" ? "de" : country === "FR" ? "fr" : country === "NL" || country === "BE" ? "nl" : "en",
    created_at: created,
    updated_at: created,
    version: 1,
  };
}

/** The handle of seeded customer `id` (same value seedRow gives). */
export function seededHandle(id: number): string {
  const first = pick(FIRST, id, 1);
  const last = pick(LAST, id, 2);
  const [country] = pick(COUNTRY_TABLE, id, 3);
  return handleOf(id, first, last, country);
}
