import type { z } from "zod";
import { type AppError, type FieldIssue, validationFailed } from "./errors.js";

/**
 * Closed set of per-field issue codes. Protocols map them (INWX: required -> 2003,
 * invalid_type/invalid_format -> 2005, out_of_range/invalid_value -> 2004).
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
