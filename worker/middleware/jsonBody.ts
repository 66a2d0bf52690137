import { createMiddleware } from "hono/factory";
import type { z } from "zod";
import { ApiError } from "../errors.js";
import { describeIssues } from "../validate.js";

export interface JsonBodyOptions {
  /** Larger bodies are refused with 413 before they are parsed. */
  maxBytes?: number;
}

/**
 * Validates a JSON body against a schema and puts the typed value on c.var.body. Every failure is a
 * 4xx with its own code: wrong content type 415, too large 413, not JSON 400 invalid_json, wrong
 * shape 400 invalid_body (naming the field).
 */
export function jsonBody<Schema extends z.ZodType>(schema: Schema, { maxBytes = 64 * 1024 }: JsonBodyOptions = {}) {
  return createMiddleware<{ Variables: { body: z.infer<Schema> } }>(async function jsonBody(c, next) {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/([\w.+-]+\+)?json(\s*;|$)/i.test(type)) {
      throw new ApiError(415, "unsupported_media_type", "send the body as Content-Type: application/json");
    }
    const declared = Number(c.req.header("content-length") ?? "0");
    if (declared > maxBytes) throw new ApiError(413, "payload_too_large", `the body may be at most ${maxBytes} bytes`);
    const text = await c.req.text();
    if (text.length > maxBytes)
      throw new ApiError(413, "payload_too_large", `the body may be at most ${maxBytes} bytes`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "the body is not valid JSON");
    }
    const result = schema.safeParse(value);
    if (!result.success) throw new ApiError(400, "invalid_body", describeIssues(result.error));
    c.set("body", result.data);
    await next();
  });
}
