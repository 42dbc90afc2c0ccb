import type { z } from "zod";
import { type AppError, type FieldIssue, validationFailed } from "./errors.js";

/**
 * Closed set of per-field issue codes. Each protocol maps them to its own parameter errors
 * (a missing parameter, a wrong syntax, a value outside its range are told apart).
 */
export type IssueCode =
  | "required"
  | "invalid_type"
  | "invalid_format"
  | "out_of_range"
  | "invalid_value"
  | "not_allowed"
  | "already_exists"
  | "exceeds_budget";

const pathOf = (path: readonly PropertyKey[]): string => path.map(String).join(".");

/** The value at `path` in `input`, to tell a missing field from one of the wrong type. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export function zodIssuesToFieldIssues(error: z.ZodError, input?: unknown): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of error.issues) {
    const base = pathOf(issue.path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          const field = base ? `${base}.${key}` : key;
          out.push({ field, code: "not_allowed", message: `Unknown field "${field}"` });
        }
        break;
      case "invalid_type":
        if (valueAt(input, issue.path) === undefined) {
          out.push({ field: base || "(body)", code: "required", message: "is required" });
        } else {
          out.push({ field: base || "(body)", code: "invalid_type", message: `must be ${issue.expected === "int" ? "an integer" : `of type ${issue.expected}`}` });
        }
        break;
      case "too_small":
      case "too_big":
        out.push({ field: base, code: "out_of_range", message: issue.message });
        break;
      case "invalid_format":
        out.push({ field: base, code: "invalid_format", message: issue.message });
        break;
      case "invalid_value":
        out.push({ field: base, code: "invalid_value", message: issue.message });
        break;
      case "custom": {
        const code = (issue.params as { code?: IssueCode } | undefined)?.code ?? "invalid_format";
        out.push({ field: base, code, message: issue.message });
        break;
      }
      default:
        out.push({ field: base || "(body)", code: "invalid_value", message: issue.message });
    }
  }
  return out;
}

/** Parses `input` with `schema`, throwing one validation_failed error that lists every field issue. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = zodIssuesToFieldIssues(result.error, input).map((i) => (prefix ? { ...i, field: `${prefix}.${i.field}` } : i));
  throw validationFailed(issues);
}

export function fieldError(field: string, code: IssueCode, message: string): AppError {
  return validationFailed([{ field, code, message }]);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper input than this is refused: no payload of the APIs nests anywhere near it. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Text the databases cannot store alike is refused at the edge, before it reaches SQL: PostgreSQL
 * rejects NUL in text (SQLite stores it) and neither stores an unpaired UTF-16 surrogate as
 * text. Walks strings, keys, arrays and objects without recursion; an input nested deeper than
 * MAX_INPUT_DEPTH is refused too. Returns one issue per offending field (at most 20).
 */
export function unsafeTextIssues(input: unknown, prefix = ""): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const join = (base: string, key: string) => (base === "" ? key : `${base}.${key}`);
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: prefix, depth: 0 }];
  const textIssue = (text: string, path: string): void => {
    if (text.includes("\u0000")) issues.push({ field: path || "(body)", code: "invalid_format", message: "must not contain NUL (U+0000) characters" });
    else if (LONE_SURROGATE.test(text)) issues.push({ field: path || "(body)", code: "invalid_format", message: "must be valid Unicode text (no unpaired surrogates)" });
  };
  while (stack.length > 0 && issues.length < 20) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === "string") {
      textIssue(value, path);
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (depth >= MAX_INPUT_DEPTH) {
      issues.push({ field: path || "(body)", code: "invalid_value", message: `nests deeper than ${MAX_INPUT_DEPTH} levels` });
      continue;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        stack.push({ value: v, path: join(path, String(i)), depth: depth + 1 });
      });
      continue;
    }
    if (value instanceof Date || Buffer.isBuffer(value)) continue;
    for (const [k, v] of Object.entries(value)) {
      const before = issues.length;
      textIssue(k, join(path, k.replaceAll("\u0000", "\\0")));
      if (issues.length === before) stack.push({ value: v, path: join(path, k), depth: depth + 1 });
    }
  }
  return issues;
}

/** Throws validation_failed when `unsafeTextIssues` finds anything. */
export function assertSafeText(input: unknown, prefix = ""): void {
  const issues = unsafeTextIssues(input, prefix);
  if (issues.length > 0) throw validationFailed(issues);
}
