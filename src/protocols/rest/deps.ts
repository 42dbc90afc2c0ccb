import type { FastifyRequest } from "fastify";
import type { Context } from "../../core/context.js";
import type { AppError } from "../../core/errors.js";
import type { IdempotencyService, StoredResponse } from "../../modules/idempotency/service.js";

/** What the REST routes need from the composition root besides the domain services. */
export interface RestDeps {
  authenticate(request: FastifyRequest): Promise<Context>;
  idempotency: IdempotencyService;
  renderError(error: AppError, request: FastifyRequest): StoredResponse;
}
