import { z } from "zod";
import {
  alsoBoughtAnswer,
  bundleAnswer,
  cartAnswer,
  errorAnswer,
  eventsAccepted,
  searchAnswer,
  upgradesAnswer,
} from "../models/api/answers.js";
import { pathSkuText } from "../models/api/printableText.js";
import { healthAnswer, modelAnswer } from "../models/api/statusAnswers.js";
import { EARLIEST_MS, eventBatchSchema, FUTURE_SLACK_MS } from "../models/events/event.js";
import { UNIT_HEADER } from "./middleware/withArms.js";
import { CART_MAX_BYTES, cartBody } from "./routes/cart.js";
import { searchQuery } from "./routes/catalogSearch.js";
import { EVENTS_MAX_BYTES } from "./routes/events.js";
import { itemQuery, LIST_PARAMETERS, MAX_URL_BYTES, unitHeaderValue, upgradesQuery } from "./routes/requestSchemas.js";

type JsonSchema = Record<string, unknown>;

/** What the live config and the clock add to the schemas: limits that are not constants. */
export interface OpenApiLimits {
  /** The most cart lines every unit may send (cartLineLimit of the live config). */
  cartMaxLines: number;
  /** When the document is built: events may be dated up to FUTURE_SLACK_MS after it (a later request allows more). */
  now: number;
}

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a zod schema, as a request (input) or an answer (output). */
function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
  });
  return rest;
}

/**
 * The query object's properties as OpenAPI parameters (the route validates the same schema). A list
 * parameter is published as the array it is, sent comma-separated (style form, not exploded).
 */
function queryParameters(schema: z.ZodObject): JsonSchema[] {
  const json = schemaOf(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const list = LIST_PARAMETERS[name];
    return {
      name,
      in: "query",
      required: json.required?.includes(name) ?? false,
      ...(list === undefined
        ? { schema: property }
        : {
            schema: schemaOf(list, "input"),
            style: "form",
            explode: false,
            description: `Comma-separated; the whole URL may be at most ${MAX_URL_BYTES} bytes (a longer list fits in a cart's body).`,
          }),
    };
  });
}

/** A JSON request body whose byte limit sits beside its schema (JSON Schema cannot say bytes). */
function requestBody(schema: JsonSchema, maxBytes: number) {
  return {
    required: true,
    description: `At most ${maxBytes} bytes of UTF-8 JSON; a larger body is answered 413 payload_too_large.`,
    "x-max-bytes": maxBytes,
    content: { "application/json": { schema } },
  };
}

/** The cart's schema with the live line limit as the items' maxItems. */
function cartSchema(maxLines: number): JsonSchema {
  const schema = schemaOf(cartBody, "input") as { properties: { items: JsonSchema } };
  schema.properties.items = { ...schema.properties.items, maxItems: maxLines };
  return schema;
}

/**
 * The events' schema with the date window the route enforces: epoch milliseconds between minimum and
 * maximum, or an ISO 8601 date-time between formatMinimum and formatMaximum.
 */
function eventsSchema(now: number): JsonSchema {
  const schema = schemaOf(eventBatchSchema, "input") as {
    properties: { events: { items: { properties: Record<string, { anyOf?: JsonSchema[] }> } } };
  };
  const latest = now + FUTURE_SLACK_MS;
  const ts = schema.properties.events.items.properties.ts;
  if (ts?.anyOf) {
    ts.anyOf = ts.anyOf.map((branch) =>
      branch.type === "integer"
        ? { ...branch, minimum: EARLIEST_MS, maximum: latest }
        : {
            ...branch,
            formatMinimum: new Date(EARLIEST_MS).toISOString(),
            formatMaximum: new Date(latest).toISOString(),
          },
    );
    Object.assign(ts, {
      description: `When it happened, from ${new Date(EARLIEST_MS).toISOString()} to ${FUTURE_SLACK_MS / 3_600_000} h after the request is received.`,
    });
  }
  return schema;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string) => ({
  description,
  content: { "application/json": { schema: ref(name) } },
});
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), json("Error", "`{ error: { code, message } }`")]));

const skuParameter = { name: "sku", in: "path", required: true, schema: schemaOf(pathSkuText, "input") };
const unitHeader = {
  name: UNIT_HEADER,
  in: "header",
  required: false,
  description: "Experiment unit id (a shopper or session id); wins over the `unit` parameter and is checked like it.",
  schema: schemaOf(unitHeaderValue, "input"),
};

function itemRoute(summary: string, query: z.ZodObject, answer: string, description?: string) {
  return {
    get: {
      summary,
      ...(description === undefined ? {} : { description }),
      parameters: [skuParameter, ...queryParameters(query), unitHeader],
      "x-max-url-bytes": MAX_URL_BYTES,
      responses: {
        "200": json(answer, "Suggestions (possibly none, with reasons)"),
        "304": { description: "The ETag in If-None-Match is still current" },
        ...errors(400, 404, 503),
      },
    },
  };
}

// What the answer schemas cannot say: how a bundle and a cart suggestion relate to their anchor.
const BUNDLE_DESCRIPTION =
  "The anchor and up to two of its complements, each bought with the anchor in at least the privacy floor's " +
  "baskets and priced at most `bundle.priceRatio` × the anchor (0.3 by default). Two add-ons are also bought " +
  "with each other; the set with the most baskets with the anchor wins. `pairs` lists each add-on with the " +
  "anchor first, then the add-ons' own pair.";
const CART_DESCRIPTION =
  "Every add-on in `items` names the cart line it complements in `evidence.because`, and its evidence is " +
  "that pair's; it costs at most `crossSell.priceRatio` × that line's unit price (the line's `price`, else " +
  "the catalog's), not a share of the cart total.";

/**
 * The OpenAPI 3.1 document, built from the schemas and constants the routes validate with, and the
 * live config's limits (see OpenApiLimits).
 */
export function buildOpenApi(limits: OpenApiLimits): JsonSchema {
  const document = openApiDocument(limits);
  return { ...document, paths: withMethodNotAllowed(document.paths) };
}

/**
 * Every operation also answers 405, for a method its path does not serve (worker/http/methodNotAllowed.ts),
 * with the Allow header naming the ones it does: said once per operation, as clients read them.
 */
function withMethodNotAllowed(paths: Record<string, Record<string, { responses: object }>>) {
  const notAllowed = {
    description: "Another method on this path: `Allow` lists the ones it serves (`{ error: { code, message } }`)",
    headers: { Allow: { schema: { type: "string" }, description: "The methods this path serves" } },
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
  return Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => [
          method,
          { ...operation, responses: { ...operation.responses, "405": notAllowed } },
        ]),
      ),
    ]),
  );
}

function openApiDocument({ cartMaxLines, now }: OpenApiLimits) {
  return {
    openapi: "3.1.0",
    info: {
      title: "sidecart",
      version: "1",
      description: "Cross-sell and upsell suggestions from the edge: also-bought, upgrades, bundles and carts.",
    },
    paths: {
      "/v1/items/{sku}/also-bought": itemRoute("Products bought with this one", itemQuery, "AlsoBoughtAnswer"),
      "/v1/items/{sku}/upgrades": itemRoute("Better products in the same line", upgradesQuery, "UpgradesAnswer"),
      "/v1/items/{sku}/bundle": itemRoute(
        "A frequently-bought-together set",
        itemQuery,
        "BundleAnswer",
        BUNDLE_DESCRIPTION,
      ),
      "/v1/cart/suggestions": {
        post: {
          summary: "Add-ons and upgrades for a whole cart",
          description: CART_DESCRIPTION,
          parameters: [unitHeader],
          requestBody: requestBody(cartSchema(cartMaxLines), CART_MAX_BYTES),
          responses: { "200": json("CartAnswer", "Suggestions for the cart"), ...errors(400, 404, 413, 415, 503) },
        },
      },
      "/v1/catalog/search": {
        get: {
          summary: "Find products by title words or SKU prefix (best sellers first)",
          description:
            "Scans every title, so it needs the whole catalog in the isolate: a model whose pages do not fit the isolate's page cache answers an exact SKU or no words (the best sellers), and other words with 501 search_needs_whole_catalog.",
          parameters: queryParameters(searchQuery),
          "x-max-url-bytes": MAX_URL_BYTES,
          responses: { "200": json("SearchAnswer", "Matching products"), ...errors(400, 429, 501, 503) },
        },
      },
      "/v1/events": {
        post: {
          summary: "Impressions, clicks, adds and purchases for the experiment report",
          requestBody: requestBody(eventsSchema(now), EVENTS_MAX_BYTES),
          responses: {
            "202": json(
              "EventsAccepted",
              "Accepted (written after the answer; an event already stored is not stored again)",
            ),
            // 503: a deployed worker without its token key or unit salt takes no events (token_key_missing, unit_salt_missing).
            ...errors(400, 403, 413, 415, 429, 503),
          },
        },
      },
      "/healthz": {
        get: {
          summary: "Liveness for monitors: what is loaded, and what went wrong since",
          responses: {
            "200": json("HealthAnswer", "A model serves (status ok, or degraded with the reason)"),
            "503": json("HealthAnswer", "No model has been published or could be loaded"),
          },
        },
      },
      "/v1/model": {
        get: {
          summary: "The model that serves: version, training window, sizes, live config digest and rules",
          responses: { "200": json("ModelAnswer", "The live model"), ...errors(503) },
        },
      },
      "/openapi.json": {
        get: {
          summary: "This document",
          responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: {} } } } },
        },
      },
    },
    components: {
      schemas: {
        AlsoBoughtAnswer: schemaOf(alsoBoughtAnswer, "output"),
        UpgradesAnswer: schemaOf(upgradesAnswer, "output"),
        BundleAnswer: schemaOf(bundleAnswer, "output"),
        CartAnswer: schemaOf(cartAnswer, "output"),
        SearchAnswer: schemaOf(searchAnswer, "output"),
        EventsAccepted: schemaOf(eventsAccepted, "output"),
        HealthAnswer: schemaOf(healthAnswer, "output"),
        ModelAnswer: schemaOf(modelAnswer, "output"),
        Error: schemaOf(errorAnswer, "output"),
      },
    },
  };
}
