/**
 * How Froxlor (PHP) reads request parameters, so values mean here what they mean there
 * (lib/Froxlor/Api/ApiParameter.php, api.php). Pure functions; no Custos rule lives here.
 */

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\u0007", v: "\u000b", b: "\b", f: "\f" };

/** PHP stripcslashes: C-style escapes (\n, \t, \x41, \101, \\) become the characters they name. */
export function stripcslashes(s: string): string {
  if (!s.includes("\\")) return s;
  return s.replace(/\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3}|.)/gs, (_m, esc: string) => {
    if (esc[0] === "x" && esc.length > 1) return String.fromCharCode(Number.parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCharCode(Number.parseInt(esc, 8) & 0xff);
    return SIMPLE_ESCAPES[esc] ?? esc;
  });
}

/** PHP empty(): what Froxlor leaves untouched when it normalises parameters. */
function phpEmpty(v: unknown): boolean {
  return v === null || v === undefined || v === false || v === 0 || v === "" || v === "0" || (Array.isArray(v) && v.length === 0);
}

/**
 * Froxlor runs every non-empty scalar, at any depth, through stripcslashes: numbers and `true`
 * become text ("5", "1"). Arrays and objects keep their shape. (Text Custos cannot store and
 * absurd nesting are refused before this, by the shared edge check.)
 */
export function normaliseParams(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normaliseParams);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normaliseParams(v);
    return out;
  }
  if (phpEmpty(value)) return value;
  if (value === true) return "1";
  if (typeof value === "number") return stripcslashes(String(value));
  if (typeof value === "string") return stripcslashes(value);
  return value;
}

/** PHP intval of text: the leading integer, else 0. */
export function intval(v: unknown): number {
  if (typeof v === "number") return Math.trunc(v);
  if (v === true) return 1;
  if (typeof v !== "string") return 0;
  const m = /^\s*([+-]?\d+)/.exec(v);
  return m ? Number.parseInt(m[1] ?? "0", 10) : 0;
}

/** Froxlor's boolean: true iff the value is truthy and intval() != 0 ("true" and "yes" are false). */
export function phpBool(v: unknown): boolean {
  return !phpEmpty(v) && intval(v) !== 0;
}

/** A numeric value (number or numeric text) as a number; undefined when it is not numeric. */
export function phpNumeric(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** Text as Froxlor reads it: trimmed; null/absent stays undefined. */
export function phpText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" || typeof v === "boolean") return String(v === true ? "1" : v === false ? "" : v).trim();
  return undefined;
}
