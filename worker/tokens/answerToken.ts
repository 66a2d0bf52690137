import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Surface } from "../../models/config/configDocument.js";
import type { AppEnv } from "../appEnv.js";
import { bucketOf, signToken } from "./eventToken.js";
import { tokenKeys } from "./tokenKeys.js";

export interface AnswerTokenOptions<E extends AppEnv> {
  surface: Surface;
  /** The anchor the token vouches for: the item's SKU, or a cart's digest (cartDigest). */
  anchor: (c: Context<E>) => string | Promise<string>;
  /** The SKUs the answer shows (and a cart's lines): the only ones its events may name. */
  shown: (answer: unknown, c: Context<E>) => string[];
}

/** The `sku` of every object in a list of the answer (`items`, a bundle's items), none when it is no list. */
export function skusIn(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) =>
    typeof item === "object" && item !== null && "sku" in item && typeof item.sku === "string" ? [item.sku] : [],
  );
}

/** A member of a JSON object, or undefined. */
export function member(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** Adds `"name": value` as the last member of a JSON object's text. */
export function withMember(json: string, name: string, value: string): string {
  const end = json.lastIndexOf("}");
  if (end < 0) return json;
  const empty = json.slice(0, end).trimEnd().endsWith("{");
  return `${json.slice(0, end)}${empty ? "" : ","}${JSON.stringify(name)}:${JSON.stringify(value)}${json.slice(end)}`;
}

/** Adds `"token": "…"` as the last member of a JSON object's text. */
export const withTokenMember = (json: string, token: string): string => withMember(json, "token", token);

/**
 * Signs each 200 answer for the unit that asked (after withArms and withModel): the token goes into the
 * JSON after the route, the answer cache or the 304 have done their work. So a stored answer, which every
 * unit of one arm shares, never carries one unit's token to another. Without a unit there is no token:
 * events need one.
 */
export function answerToken<E extends AppEnv>({ surface, anchor, shown }: AnswerTokenOptions<E>) {
  return createMiddleware<E>(async function answerToken(c, next) {
    await next();
    const unit = c.get("unit");
    if (unit === undefined || c.res.status !== 200) return;
    if (!(c.res.headers.get("Content-Type") ?? "").startsWith("application/json")) return;
    // Deployed without the secret there is nothing to sign with: the answer goes out without a token.
    const keys = await tokenKeys(c.env);
    if (keys === null) return;
    const text = await c.res.text();
    const token = await signToken(keys, {
      unit,
      surface,
      anchor: await anchor(c),
      model: c.get("model").manifest.version,
      labels: c.get("arms").labels,
      bucket: bucketOf(Date.now()),
      shown: shown(JSON.parse(text) as unknown, c),
    });
    // A unit the worker issued goes with its token: the widget keeps it for the shopper's next answers.
    const issued = c.get("issuedUnit");
    const body = withTokenMember(issued === undefined ? text : withMember(text, "unit", issued), token);
    const headers = new Headers(c.res.headers);
    headers.delete("Content-Length");
    // Unset first: hono's setter would copy the old headers (Content-Length among them) onto the new.
    c.res = undefined;
    c.res = new Response(body, { status: 200, headers });
  });
}
