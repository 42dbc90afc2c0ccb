import type { AttemptRow, DeliveryRow, EndpointRow, EventRow } from "./repository.js";
import type { DeliveryView, EndpointView } from "./schema.js";
import type { EventView } from "./catalogue.js";

export const publicEventId = (id: number): string => `evt_${id}`;

export function eventToView(row: EventRow): EventView {
  return {
    object: "event",
    id: publicEventId(row.id),
    type: row.type,
    created_at: row.created_at,
    tenant_id: row.tenant_id,
    customer_id: row.customer_id,
    object_type: row.object_type,
    object_id: row.object_id,
    request_id: row.request_id,
    data: JSON.parse(row.payload) as Record<string, unknown>,
  };
}

export function endpointToView(row: EndpointRow): EndpointView {
  return {
    object: "webhook_endpoint",
    id: row.id,
    owner: { kind: row.owner_kind as "operator" | "reseller", id: row.owner_id },
    url: row.url,
    description: row.description,
    event_types: JSON.parse(row.event_types) as string[],
    status: row.status as "enabled" | "disabled",
    disabled_reason: row.disabled_reason,
    previous_secret_expires_at: row.previous_secret_expires_at,
    failing_since: row.failing_since,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function endpointRef(row: EndpointRow): { id: number; url: string; owner: { kind: "operator" | "reseller"; id: number } } {
  return { id: row.id, url: row.url, owner: { kind: row.owner_kind as "operator" | "reseller", id: row.owner_id } };
}

export function deliveryToView(row: DeliveryRow, eventType: string, attempts: AttemptRow[]): DeliveryView {
  return {
    object: "webhook_delivery",
    id: row.id,
    endpoint_id: row.endpoint_id,
    event_id: publicEventId(row.event_id),
    event_type: eventType,
    status: row.status as "pending" | "delivered" | "failed",
    attempts: row.attempts,
    next_attempt_at: row.status === "pending" ? row.next_attempt_at : null,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    redelivery_of: row.redelivery_of,
    created_at: row.created_at,
    completed_at: row.completed_at,
    attempt_log: attempts.map((a) => ({ attempt: a.attempt, at: a.at, status_code: a.status_code, error: a.error, latency_ms: a.latency_ms })),
  };
}

/** Does an endpoint subscribed to `patterns` want events of `type`? */
export function wants(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === "*" || p === type || (p.endsWith(".*") && type.startsWith(p.slice(0, -1))));
}
