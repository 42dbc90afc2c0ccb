/**
 * REST routes that run a credential step rather than a registry operation, and the download route
 * (a plain Fastify route: its body is a file). Every other route names its operation itself.
 */
export const REST_BINDINGS: Readonly<Record<string, string>> = {
  "POST /v1/sessions": "session.login",
  "POST /v1/sessions/second-factor": "session.login",
  "DELETE /v1/sessions/current": "session.logout",
  "POST /v1/email-change/confirm": "credential.email.confirm",
  "GET /v1/downloads/:token": "download.fetch",
};

/** Operations the REST API does not offer, with the reason. */
export const REST_UNSUPPORTED: Readonly<Record<string, string>> = {};
