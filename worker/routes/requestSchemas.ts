import { z } from "zod";
import { printableText, MAX_SKU_CHARS, MAX_UNIT_CHARS, unitId } from "../../models/api/printableText.js";
import { STAGES } from "../../models/config/rulesConfig.js";
import { UNIT_HEADER } from "../middleware/withArms.js";

/**
 * The longest URL a request can have: Cloudflare answers longer ones 414 before the worker runs (and
 * workerd locally refuses long request heads with 431). JSON Schema cannot say it of a query, so
 * /openapi.json publishes it as x-max-url-bytes on each operation with parameters.
 */
export const MAX_URL_BYTES = 16 * 1024;

/** SKUs one request may exclude, as a query list or a body field. */
export const MAX_EXCLUDED = 200;

/** An entry of the `exclude` query list: a SKU without the comma that separates the entries. */
const listedSku = printableText(MAX_SKU_CHARS, { also: "," });
/** The `exclude` list as /openapi.json describes it: an array sent comma-separated (style form, not exploded). */
export const excludeList = z.array(listedSku).max(MAX_EXCLUDED);

/**
 * Comma-separated SKUs, each trimmed (`a, b` is a and b); an empty entry (`a,,b`) is refused like any
 * SKU out of pattern, and one of spaces only is that SKU, as the document's pattern allows.
 */
const excludeParam = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(",").map((x) => (x.trim() === "" ? x : x.trim())) : []))
  .pipe(excludeList);

/** Query parameters every item endpoint takes. */
export const itemQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).optional(),
  stage: z.enum(STAGES).default("product"),
  /** SKUs the customer has or owns. */
  exclude: excludeParam,
  /** Experiment unit id (a shopper or session id); also accepted as the X-Sidecart-Unit header. */
  unit: unitId.optional(),
});

/** Query parameters sent as lists, with the schema of the list itself (the query schema sees the raw text). */
export const LIST_PARAMETERS: Readonly<Record<string, z.ZodType>> = { exclude: excludeList };

/** A plain decimal amount: `spend=` and `spend=0x10` are refused, not read as 0 and 16. */
const decimalAmount = z
  .string()
  .regex(/^\d{1,13}(\.\d{1,6})?$/, "must be a decimal amount such as 12.5")
  .transform(Number)
  .pipe(z.number().min(0).max(1e12));

export const upgradesQuery = itemQuery.extend({
  /** What the customer already pays for this product line (spend-based upgrade). */
  spend: decimalAmount.optional(),
});

/**
 * The unit header, checked like the `unit` parameter: an over-long one is a 400, not cut, and so is an
 * empty one (a header sent without a value is a client's bug, not an absent unit).
 */
export const unitHeaderValue = z
  .string()
  // Fetch trims a header value's spaces and tabs, so a value the document allows must not start or end
  // with them (it would arrive as another unit, or as an empty header, which is refused).
  .regex(
    /^[^ \t\u0000-\u001f\u007f](?:[^\u0000-\u001f\u007f]{0,126}[^ \t\u0000-\u001f\u007f])?$/u,
    "must be 1–128 characters, none a control character, not starting or ending with a space",
  )
  .meta({ minLength: 1, maxLength: MAX_UNIT_CHARS })
  .optional();
export const unitHeaders = z.object({ [UNIT_HEADER.toLowerCase()]: unitHeaderValue });
