import type { api } from "../helpers/harness.js";
import type { Outcome } from "./suite.js";

export type RestResult = Awaited<ReturnType<typeof api>>;

/** How a REST answer reads to the security suite. */
export function classifyRest(r: RestResult): Outcome {
  if (r.status >= 200 && r.status < 300) return "ok";
  if (r.status === 401) return "unauthenticated";
  if (r.status === 403) return "forbidden";
  if (r.status === 404) return "not_found";
  return "other";
}

export const describeRest = (r: RestResult): string => `${r.status} ${r.text.slice(0, 300)}`;
