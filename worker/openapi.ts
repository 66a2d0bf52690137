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
import { eventBatchSchema } from "../models/events/event.js";
import { UNIT_HEADER } from "./middleware/withArms.js";
import { cartBody } from "./routes/cart.js";
import { searchQuery } from "./routes/catalogSearch.js";
import { itemQuery, skuText, upgradesQuery } from "./routes/params.js";

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a zod schema, as a request (input) or an answer (output). */
function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    target: "draft-2020-12",
    unrepresentable: "any",
  });
  return rest;
}

/** The query object's properties as OpenAPI parameters (the route validates the same schema). */
function queryParameters(schema: z.ZodObject): JsonSchema[] {
  const json = schemaOf(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string) => ({
  description,
  content: { "application/json": { schema: ref(name) } },
});
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), json("Error", "`{ error: { code, message } }`")]));

const skuParameter = { name: "sku", in: "path", required: true, schema: schemaOf(skuText, "input") };
const unitHeader = {
  name: UNIT_HEADER,
  in: "header",
  required: false,
  description: "Experiment unit id (a shopper or session id); wins over the `unit` parameter.",
  schema: { type: "string", maxLength: 128 },
};

function itemRoute(summary: string, query: z.ZodObject, answer: string, description?: string) {
  return {
    get: {
      summary,
      ...(description === undefined ? {} : { description }),
      parameters: [skuParameter, ...queryParameters(query), unitHeader],
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

/** The OpenAPI 3.1 document, built once from the schemas the routes validate with. */
export function buildOpenApi(): JsonSchema {
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
          requestBody: { required: true, content: { "application/json": { schema: schemaOf(cartBody, "input") } } },
          responses: { "200": json("CartAnswer", "Suggestions for the cart"), ...errors(400, 404, 413, 415, 503) },
        },
      },
      "/v1/catalog/search": {
        get: {
          summary: "Find products by title words or SKU prefix (best sellers first)",
          parameters: queryParameters(searchQuery),
          responses: { "200": json("SearchAnswer", "Matching products"), ...errors(400, 429, 503) },
        },
      },
      "/v1/events": {
        post: {
          summary: "Impressions, clicks, adds and purchases for the experiment report",
          requestBody: {
            required: true,
            content: { "application/json": { schema: schemaOf(eventBatchSchema, "input") } },
          },
          responses: {
            "202": json("EventsAccepted", "Accepted (written after the answer)"),
            ...errors(400, 413, 415, 429),
          },
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
        Error: schemaOf(errorAnswer, "output"),
      },
    },
  };
}
