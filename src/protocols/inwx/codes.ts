import type { ErrorCode, FieldIssue } from "../../core/errors.js";
import { defineErrorTable } from "../kit/errors.js";

/** EPP result codes INWX answers with (RFC 5730 §3). */
export type InwxCode = 1000 | 1001 | 1500 | 2000 | 2001 | 2002 | 2003 | 2004 | 2005 | 2200 | 2201 | 2302 | 2303 | 2304 | 2400 | 2500;
export type Lang = "en" | "de" | "es";

const MESSAGES: Record<InwxCode, Record<Lang, string>> = {
  1000: { en: "Command completed successfully", de: "Befehl erfolgreich ausgeführt", es: "Comando completado con éxito" },
  1001: { en: "Command completed successfully; action pending", de: "Befehl erfolgreich ausgeführt; Aktion ausstehend", es: "Comando completado con éxito; acción pendiente" },
  1500: { en: "Command completed successfully; ending session", de: "Befehl erfolgreich ausgeführt; Sitzung beendet", es: "Comando completado con éxito; sesión finalizada" },
  2000: { en: "Unknown command", de: "Unbekannter Befehl", es: "Comando desconocido" },
  2001: { en: "Command syntax error", de: "Syntaxfehler im Befehl", es: "Error de sintaxis del comando" },
  2002: { en: "Command use error", de: "Befehl nicht anwendbar", es: "Error de uso del comando" },
  2003: { en: "Required parameter missing", de: "Erforderlicher Parameter fehlt", es: "Falta un parámetro obligatorio" },
  2004: { en: "Parameter value range error", de: "Parameterwert außerhalb des Wertebereichs", es: "Valor del parámetro fuera de rango" },
  2005: { en: "Parameter value syntax error", de: "Syntaxfehler im Parameterwert", es: "Error de sintaxis en el valor del parámetro" },
  2200: { en: "Authentication error", de: "Authentifizierungsfehler", es: "Error de autenticación" },
  2201: { en: "Authorization error", de: "Autorisierungsfehler", es: "Error de autorización" },
  2302: { en: "Object exists", de: "Objekt existiert bereits", es: "El objeto ya existe" },
  2303: { en: "Object does not exist", de: "Objekt existiert nicht", es: "El objeto no existe" },
  2304: { en: "Object status prohibits operation", de: "Objektstatus verbietet diese Operation", es: "El estado del objeto impide la operación" },
  2400: { en: "Command failed", de: "Befehl fehlgeschlagen", es: "El comando ha fallado" },
  2500: { en: "Command failed; server closing connection", de: "Befehl fehlgeschlagen; Verbindung wird beendet", es: "El comando ha fallado; cerrando la conexión" },
};

export function message(code: InwxCode, lang: Lang): string {
  return MESSAGES[code][lang];
}

export function parseLang(value: unknown): Lang {
  const v = typeof value === "string" ? value.toLowerCase() : "";
  return v === "de" || v === "es" ? v : "en";
}

/** Every catalogue code has one INWX result code; the compiler enforces completeness. */
export const INWX_ERRORS = defineErrorTable<InwxCode>({
  validation_failed: 2005,
  malformed_request: 2001,
  unsupported_media_type: 2001,
  payload_too_large: 2400,
  not_found: 2303,
  conflict: 2302,
  precondition_failed: 2400,
  idempotency_key_reused: 2400,
  idempotency_key_in_use: 2400,
  unauthenticated: 2200,
  forbidden: 2201,
  rate_limited: 2400,
  invalid_state_transition: 2304,
  second_factor_required: 2200,
  gone: 2303,
  internal: 2400,
});

/** Field issue codes (src/core/validation.ts IssueCode) onto INWX's parameter codes. */
export function issueToCode(issue: FieldIssue): { code: InwxCode; reasonCode: string } {
  switch (issue.code) {
    case "required":
      return { code: 2003, reasonCode: "MISSING_PARAMETER" };
    case "invalid_type":
    case "invalid_format":
      return { code: 2005, reasonCode: "INVALID_PARAMETER_SYNTAX" };
    case "out_of_range":
    case "invalid_value":
      return { code: 2004, reasonCode: "PARAMETER_VALUE_OUT_OF_RANGE" };
    case "already_exists":
      return { code: 2302, reasonCode: "OBJECT_EXISTS" };
    case "not_allowed":
      return { code: 2001, reasonCode: "UNKNOWN_PARAMETER" };
    default:
      return { code: 2005, reasonCode: "INVALID_PARAMETER_SYNTAX" };
  }
}

export function errorToCode(code: ErrorCode): InwxCode {
  return INWX_ERRORS[code];
}
