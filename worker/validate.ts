import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { Context, Env, MiddlewareHandler } from "hono";
import { validator } from "hono/validator";
import type { z } from "zod";
import { describeIssues } from "../models/zodIssues.js";
import { ApiError } from "./errors.js";

/**
 * Whether a query string is percent-encoded UTF-8: hono hands a parameter it cannot decode (`q=%FF`)
 * over undecoded, which would then be read as the three characters "%FF".
 */
function decodable(url: string): boolean {
  try {
    decodeURIComponent(new URL(url).search);
    return true;
  } catch {
    return false;
  }
}

/** Query validation: a 400 with code invalid_query naming the parameter, else typed c.req.valid("query"). */
export function validQuery<Schema extends z.ZodType>(schema: Schema) {
  return validator("query", (value, c): z.infer<Schema> => {
    if (!decodable(c.req.url))
      throw new ApiError(400, "invalid_query", "the query string is not percent-encoded UTF-8");
    const result = schema.safeParse(value);
    if (!result.success) throw new ApiError(400, "invalid_query", describeIssues(result.error));
    return result.data;
  });
}

/** Header validation (names in lower case): a 400 with code invalid_header, else c.req.valid("header"). */
export function validHeaders<Schema extends z.ZodType>(schema: Schema) {
  return validator("header", (value): z.infer<Schema> => {
    const result = schema.safeParse(value);
    if (!result.success) throw new ApiError(400, "invalid_header", describeIssues(result.error));
    return result.data;
  });
}

/** The media types hono's validator parses as JSON (parameters such as charset aside). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;
const isJson = (contentType: string | undefined) =>
  JSON_MEDIA_TYPE.test((contentType ?? "").split(";")[0]?.trim() ?? "");

export interface ValidJsonOptions {
  /** Bodies of more bytes are refused with 413 while they arrive, chunked or not. */
  maxBytes: number;
}

/**
 * A JSON body, limited in bytes and validated: the two middleware to spread before a handler, which
 * then reads the typed value from c.req.valid("json"). hono's bodyLimit refuses a declared
 * Content-Length over the limit unread and stops reading a chunked body at the limit, so memory never
 * holds more than `maxBytes` of it; hono's validator parses it. Every failure is a 4xx with its own
 * code: too large 413 payload_too_large, wrong content type 415, not JSON 400 invalid_json, wrong
 * shape 400 invalid_body (naming the field).
 */
export function validJson<Schema extends z.ZodType>(schema: Schema, { maxBytes }: ValidJsonOptions) {
  const limit: MiddlewareHandler = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `the body may be at most ${maxBytes} bytes`);
    },
  });
  const parse = validator("json", (value, c): z.infer<Schema> => {
    // The validator parses only JSON media types and hands anything else over as {}.
    if (!isJson(c.req.header("content-type"))) {
      throw new ApiError(415, "unsupported_media_type", "send the body as Content-Type: application/json");
    }
    const result = schema.safeParse(value);
    if (!result.success) throw new ApiError(400, "invalid_body", describeIssues(result.error));
    return result.data;
  });
  // The validator's own 400 (a body that is not JSON) gets this API's code. Errors of later handlers
  // do not pass through here: hono hands them to onError where they are thrown.
  const parseWithCode: typeof parse = async (c, next) => {
    try {
      return await parse(c, next);
    } catch (error) {
      if (error instanceof HTTPException && !(error instanceof ApiError) && error.status === 400) {
        throw new ApiError(400, "invalid_json", "the body is not valid JSON", error);
      }
      throw error;
    }
  };
  return [limit, parseWithCode] as const;
}

/**
 * The body validJson checked, typed by its schema, for middleware factories (withArms, rateLimit)
 * whose context type does not carry the route's validated input.
 */
export function validatedJson<Schema extends z.ZodType, E extends Env>(
  c: Context<E>,
  _schema: Schema,
): z.infer<Schema> {
  return (c as Context<E, string, { out: { json: z.infer<Schema> } }>).req.valid("json");
}
