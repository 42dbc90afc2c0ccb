import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { Problem } from "./api.js";

/** Pieces every console page uses: routing, links, error boxes, loading, field lists. */

// ---- routing: paths under /console, history API, links intercepted ---------------------------

export function usePath(): [string, (to: string) => void] {
  const [path, setPath] = useState(location.pathname + location.search);
  useEffect(() => {
    const onPop = () => setPath(location.pathname + location.search);
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  const go = useCallback((to: string) => {
    history.pushState(null, "", to);
    setPath(to);
    scrollTo(0, 0);
  }, []);
  return [path, go];
}

let go: (to: string) => void = () => {};

/** Moves to another console page (set by the application once it runs). */
export function navigate(to: string): void {
  go(to);
}
export function setNavigate(to: (path: string) => void): void {
  go = to;
}

export function Link(props: { href: string; children: ComponentChildren; class?: string }) {
  return (
    <a
      href={props.href}
      class={props.class}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

// ---- small shared pieces -------------------------------------------------------------------

export function ErrorBox(props: { error: unknown }) {
  if (!props.error) return null;
  const e = props.error;
  const message = e instanceof Problem ? e.message : e instanceof Error ? e.message : String(e);
  return (
    <div class="error" role="alert">
      <p>{message}</p>
      {e instanceof Problem && e.errors.length > 0 && (
        <ul>
          {e.errors.map((i) => (
            <li key={i.field}>
              <strong>{i.field}</strong>: {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | undefined; error: unknown; reload: () => void } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    load().then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1) };
}

export const show = (v: unknown): string => (v === null || v === undefined || v === "" ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" }) : "—");

export function Fields(props: { value: Record<string, unknown>; empty?: string }) {
  const entries = Object.entries(props.value ?? {});
  if (entries.length === 0) return <p class="muted">{props.empty ?? "Nothing set."}</p>;
  return (
    <dl class="fields">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{show(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

