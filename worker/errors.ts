import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorHandler, NotFoundHandler } from "hono";

/** An error the caller can act on: an HTTP status plus a stable machine-readable code. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    cause?: unknown,
  ) {
    super(status, { message, cause });
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

const CODE_BY_STATUS: Partial<Record<number, string>> = {
  400: "bad_request",
  404: "not_found",
  405: "method_not_allowed",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** The one place that turns anything thrown into the error JSON. */
export const onError: ErrorHandler = (error, c) => {
  if (error instanceof ApiError) {
    return c.json<ErrorBody>({ error: { code: error.code, message: error.message } }, error.status);
  }
  if (error instanceof HTTPException) {
    const code = CODE_BY_STATUS[error.status] ?? "http_error";
    return c.json<ErrorBody>({ error: { code, message: error.message || code } }, error.status);
  }
  console.error("unhandled error", error);
  return c.json<ErrorBody>({ error: { code: "internal_error", message: "internal error" } }, 500);
};

export const onNotFound: NotFoundHandler = (c) =>
  c.json<ErrorBody>({ error: { code: "not_found", message: `no route for ${c.req.method} ${c.req.path}` } }, 404);
