import { z } from "zod";

/**
 * Text a person or a shop system typed: 1 to `max` characters, none of them a control character
 * (C0 or DEL). Characters are counted as code points, as JSON Schema's maxLength counts them, so an
 * emoji is one character here and in /openapi.json alike (zod's .max() would count it as two). The
 * check is a regular expression with the u flag, which toJSONSchema publishes as the `pattern`.
 */
export function printableText(max: number, { also = "" }: { also?: string } = {}) {
  const banned = `\\u0000-\\u001f\\u007f${also.replace(/[\\\]^-]/g, "\\$&")}`;
  const rule = also === "" ? "a control character" : `a control character or one of ${also}`;
  return z
    .string()
    .regex(new RegExp(`^[^${banned}]{1,${max}}$`, "u"), `must be 1–${max} characters, none ${rule}`)
    .meta({ minLength: 1, maxLength: max });
}

/** Any text of at most `max` characters, counted as code points (see printableText). */
export function textUpTo(max: number) {
  return z
    .string()
    .regex(new RegExp(`^[\\s\\S]{0,${max}}$`, "u"), `must be at most ${max} characters`)
    .meta({ maxLength: max });
}

export const MAX_SKU_CHARS = 200;
export const MAX_UNIT_CHARS = 128;

/** A product's SKU, as a path segment, a query list entry or a body field. */
export const skuText = printableText(MAX_SKU_CHARS);
/**
 * A SKU as a path segment: "." and ".." cannot be one (URLs collapse them before any route sees the
 * request: /v1/items/./also-bought is /v1/items/also-bought), so the document does not offer them.
 */
export const pathSkuText = skuText
  .refine((sku) => sku !== "." && sku !== "..", 'must not be "." or ".." (a URL collapses them)')
  .meta({ not: { enum: [".", ".."] } });
/** An experiment unit id (a shopper or session id), wherever a request carries it. */
export const unitId = printableText(MAX_UNIT_CHARS);
