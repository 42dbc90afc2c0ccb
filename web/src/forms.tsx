import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { type FieldIssue, Problem } from "./api.js";
import { ErrorBox } from "./ui.js";

/**
 * One form for every object page: labelled fields described by a table, values read back into
 * the API's payload shape (dotted names nest: resources.diskspace_mb), and the API's own
 * validation messages shown next to the field they name. The form checks nothing itself.
 */

export interface FieldSpec {
  /** The payload path, e.g. "title" or "resources.diskspace_mb". */
  name: string;
  label: string;
  kind?: "text" | "number" | "textarea" | "select" | "checkbox" | "switch" | "list" | "url";
  options?: readonly (readonly [string, string])[];
  hint?: string;
  required?: boolean;
}

const get = (obj: Record<string, unknown>, path: string): unknown => path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);

function put(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    o[k] = (o[k] as Record<string, unknown> | undefined) ?? {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1] ?? ""] = value;
}

/** The text a field starts with. */
function initialText(spec: FieldSpec, v: unknown): string {
  if (v === undefined || v === null) return "";
  if (spec.kind === "list" && Array.isArray(v)) return v.join(", ");
  if (spec.kind === "switch") return v === true ? "on" : v === false ? "off" : "";
  return String(v);
}

/** A field's value as the API types it; undefined for an empty optional field. */
function fieldValue(spec: FieldSpec, data: FormData): unknown {
  if (spec.kind === "checkbox") return data.get(spec.name) === "on";
  const text = String(data.get(spec.name) ?? "").trim();
  if (text === "") return spec.kind === "textarea" || spec.kind === "text" || spec.kind === undefined ? (spec.required ? "" : undefined) : undefined;
  if (spec.kind === "switch") return text === "on" ? true : text === "off" ? false : undefined;
  if (spec.kind === "number") return /^-?\d+$/.test(text) ? Number(text) : text;
  if (spec.kind === "list")
    return text
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t !== "");
  return text;
}

/**
 * The payload: on create every filled-in field; on edit (`initial` given) only what changed.
 * A cleared text field on edit is sent as "" so the API decides whether that is allowed.
 */
export function payload(fields: readonly FieldSpec[], data: FormData, initial?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of fields) {
    let v = fieldValue(spec, data);
    if (initial) {
      const before = get(initial, spec.name);
      if (v === undefined && (spec.kind === "text" || spec.kind === "textarea" || spec.kind === undefined) && before) v = "";
      if (v === undefined || JSON.stringify(v) === JSON.stringify(before ?? (spec.kind === "checkbox" ? false : undefined))) continue;
    } else if (v === undefined) continue;
    put(out, spec.name, v);
  }
  return out;
}

/** The issue the API reported for a field (or for an element of it). */
export function issueFor(issues: readonly FieldIssue[], name: string): FieldIssue | undefined {
  return issues.find((i) => i.field === name || i.field.startsWith(`${name}.`) || i.field.startsWith(`${name}[`));
}

const SWITCH = [
  ["", "Not set"],
  ["on", "On"],
  ["off", "Off"],
] as const;

function Field(props: { spec: FieldSpec; id: string; initial: unknown; issue: FieldIssue | undefined }) {
  const { spec, id, issue } = props;
  const described = [spec.hint ? `${id}-hint` : "", issue ? `${id}-error` : ""].filter((x) => x !== "").join(" ") || undefined;
  const common = { id, name: spec.name, "aria-invalid": issue ? ("true" as const) : undefined, "aria-describedby": described, required: spec.required };
  let control: ComponentChildren;
  if (spec.kind === "checkbox") control = <input type="checkbox" {...common} defaultChecked={props.initial === true} />;
  else if (spec.kind === "textarea") control = <textarea rows={4} {...common} defaultValue={initialText(spec, props.initial)} />;
  else if (spec.kind === "select" || spec.kind === "switch")
    control = (
      <select {...common} defaultValue={initialText(spec, props.initial) || spec.options?.[0]?.[0]}>
        {(spec.kind === "switch" ? SWITCH : (spec.options ?? [])).map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    );
  else control = <input {...common} inputMode={spec.kind === "number" ? "numeric" : spec.kind === "url" ? "url" : "text"} defaultValue={initialText(spec, props.initial)} />;
  return (
    <div class={spec.kind === "checkbox" ? "check" : spec.kind === "textarea" ? "full" : ""}>
      {spec.kind === "checkbox" ? (
        <label for={id}>
          {control} {spec.label}
        </label>
      ) : (
        <>
          <label for={id}>{spec.label}</label>
          {control}
        </>
      )}
      {spec.hint && (
        <p class="hint" id={`${id}-hint`}>
          {spec.hint}
        </p>
      )}
      {issue && (
        <p class="field-error" id={`${id}-error`}>
          {issue.message}
        </p>
      )}
    </div>
  );
}

/** A labelled form; `submit` gets the payload and either resolves or throws the API's Problem. */
export function ObjectForm(props: {
  id: string;
  title: string;
  fields: readonly FieldSpec[];
  initial?: Record<string, unknown>;
  submitLabel: string;
  submit: (body: Record<string, unknown>) => Promise<void>;
  done?: string;
}) {
  const [error, setError] = useState<unknown>(undefined);
  const [ok, setOk] = useState(false);
  const [busy, setBusy] = useState(false);
  const issues = error instanceof Problem ? error.errors : [];
  const onSubmit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    setError(undefined);
    setOk(false);
    setBusy(true);
    try {
      await props.submit(payload(props.fields, new FormData(form), props.initial));
      setOk(true);
      if (!props.initial) form.reset();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="edit" onSubmit={onSubmit} aria-labelledby={`${props.id}-heading`} noValidate>
      <h2 id={`${props.id}-heading`}>{props.title}</h2>
      <ErrorBox error={error} />
      {ok && props.done && (
        <p class="ok" role="status">
          {props.done}
        </p>
      )}
      <div class="grid">
        {props.fields.map((spec) => (
          <Field key={spec.name} spec={spec} id={`${props.id}-${spec.name.replace(/\./g, "-")}`} initial={props.initial ? get(props.initial, spec.name) : undefined} issue={issueFor(issues, spec.name)} />
        ))}
      </div>
      <button type="submit" disabled={busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}

/** A destructive action behind a confirmation step. */
export function ConfirmButton(props: { label: string; question: string; run: () => Promise<void>; danger?: boolean }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const confirm = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  // Keyboard users land on the confirmation when it opens, and back on the button when it closes.
  useLayoutEffect(() => {
    if (asking) confirm.current?.focus();
    else if (wasAsking.current) opener.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking)
    return (
      <button type="button" ref={opener} class={props.danger === false ? "" : "danger"} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  return (
    <div
      class="confirm"
      role="alertdialog"
      aria-label={props.question}
      onKeyDown={(e) => {
        if (e.key === "Escape") setAsking(false);
      }}
    >
      <p>{props.question}</p>
      <ErrorBox error={error} />
      <div class="buttons">
        <button
          type="button"
          ref={confirm}
          class="danger"
          onClick={() => {
            setError(undefined);
            props.run().then(
              () => setAsking(false),
              (e: unknown) => setError(e),
            );
          }}
        >
          Confirm {props.label.toLowerCase()}
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
