import fc from "fast-check";

/**
 * Requests drawn from an OpenAPI 3.1 document: for each operation, path, query and header parameters
 * and a JSON body that its schemas allow, and nothing they do not. Shared by the Workers-runtime
 * property test and `npm run bench:fuzz`, which assert that the server never refuses such a request
 * with 400. Covers the JSON Schema the document's zod schemas produce: objects, arrays, strings
 * (lengths in code points, pattern, date-time with formatMinimum/formatMaximum), numbers, enums,
 * const, anyOf/oneOf, nullable types and local $refs.
 */

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  formatMinimum?: string;
  formatMaximum?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  /** Values the schema excludes (a path SKU is never "." or ".."). */
  not?: { enum?: unknown[] };
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  schema: JsonSchema;
  style?: string;
  explode?: boolean;
}

export interface Operation {
  parameters?: Parameter[];
  /** The URL's byte limit (the platform's, which JSON Schema cannot state of a query). */
  "x-max-url-bytes"?: number;
  requestBody?: { "x-max-bytes"?: number; content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, { content?: { "application/json": { schema: JsonSchema } } }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

export interface SpecRequest {
  /** The operation, as "get /v1/items/{sku}/also-bought". */
  operation: string;
  method: string;
  /** Path and query, encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The body's byte limit from the document (x-max-bytes), when it has one. */
  maxBytes?: number;
}

/** Extra values for properties or parameters of a name (e.g. real SKUs), drawn half of the time. */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

const printableCodePoint = fc
  .oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
    fc.integer({ min: 0xa0, max: 0xd7ff }),
    fc.integer({ min: 0xe000, max: 0xfffd }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
  )
  .map((cp) => String.fromCodePoint(cp));

function stringOf(schema: JsonSchema, ascii: boolean): fc.Arbitrary<string> {
  if (schema.format === "date-time") {
    const min = Date.parse(schema.formatMinimum ?? "1970-01-01T00:00:00Z");
    const max = Date.parse(schema.formatMaximum ?? "2100-01-01T00:00:00Z");
    return fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true }).map((d) => d.toISOString());
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = schema.maxLength ?? 300;
  const pattern = schema.pattern === undefined ? null : new RegExp(schema.pattern, "u");
  const excluded = new Set(schema.not?.enum ?? []);
  const ok = (s: string) => {
    const length = [...s].length;
    return length >= minLength && length <= maxLength && (pattern === null || pattern.test(s)) && !excluded.has(s);
  };
  // Control characters too, where the schema allows them (a header value cannot carry them).
  const control = fc.constantFrom(..."\u0000\u0001\t\n\r\u001f\u007f");
  const withControl = !ascii && (pattern === null || pattern.test("a\u0001"));
  const unit = ascii
    ? fc.integer({ min: 0x20, max: 0x7e }).map((cp) => String.fromCodePoint(cp))
    : withControl
      ? fc.oneof({ weight: 6, arbitrary: printableCodePoint }, control)
      : printableCodePoint;
  const choices: fc.Arbitrary<string>[] = [];
  if (pattern !== null) choices.push(fc.stringMatching(pattern).filter(ok));
  // Long and non-ASCII text, where the pattern allows it (a name pattern does not).
  const sample = ascii ? "a~" : "é€😀";
  if (pattern === null || pattern.test(sample)) {
    choices.push(fc.string({ unit, minLength, maxLength: Math.min(maxLength, 300) }).filter(ok));
    // The longest text allowed, in characters of 4 and 3 bytes in UTF-8 (2 and 1 in UTF-16).
    const boundary = Array.from({ length: maxLength }, (_, i) => (ascii ? "~" : i % 2 === 0 ? "😀" : "€")).join("");
    if (maxLength <= 20_000 && ok(boundary)) choices.push(fc.constant(boundary));
  }
  if (choices.length === 0) throw new Error(`no generator for string schema ${JSON.stringify(schema)}`);
  return fc.oneof(...choices);
}

function integerOf(schema: JsonSchema): fc.Arbitrary<number> {
  const min = Math.max(schema.minimum ?? -(2 ** 40), Number.MIN_SAFE_INTEGER);
  const max = Math.min(schema.maximum ?? 2 ** 40, Number.MAX_SAFE_INTEGER);
  if (min >= -(2 ** 31) && max <= 2 ** 31 - 1) return fc.integer({ min, max });
  return fc.oneof(fc.constantFrom(min, max), fc.double({ min, max, noNaN: true }).map(Math.trunc));
}

function numberOf(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e12;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e12;
  return fc
    .oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(min, max))
    .filter(
      (x) =>
        (schema.exclusiveMinimum === undefined || x > schema.exclusiveMinimum) &&
        (schema.exclusiveMaximum === undefined || x < schema.exclusiveMaximum),
    )
    .map((x) => (Object.is(x, -0) ? 0 : x));
}

/** Values a JSON Schema allows. `root` resolves local $refs; `name` picks a hint. */
export function valueOf(
  schema: JsonSchema,
  {
    root = schema,
    hints = {},
    name,
    ascii = false,
  }: { root?: JsonSchema; hints?: Hints; name?: string; ascii?: boolean } = {},
): fc.Arbitrary<unknown> {
  const plain = plainValueOf(schema, root, hints, ascii);
  const hint = name === undefined ? undefined : hints[name];
  return hint === undefined ? plain : fc.oneof(hint, plain);
}

function plainValueOf(schema: JsonSchema, root: JsonSchema, hints: Hints, ascii: boolean): fc.Arbitrary<unknown> {
  const inner = (s: JsonSchema, name?: string) =>
    valueOf(s, { root, hints, ascii, ...(name === undefined ? {} : { name }) });
  if (schema.$ref !== undefined) {
    const target = schema.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
    if (target === undefined) throw new Error(`unresolved ${schema.$ref}`);
    return inner(target as JsonSchema);
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined) return fc.oneof(...branches.map((b) => inner(b)));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => inner({ ...schema, type })));
  switch (schema.type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return integerOf(schema);
    case "number":
      return numberOf(schema);
    case "string":
      return stringOf(schema, ascii);
    case "array": {
      const items = inner(schema.items ?? {});
      const minLength = schema.minItems ?? 0;
      const short = fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? 20, 20)) });
      // Now and then exactly as many as allowed: limits are where server and document drift apart.
      const max = schema.maxItems;
      if (max === undefined || max <= 20 || max > 1000) return short;
      return fc.oneof({ weight: 9, arbitrary: short }, fc.array(items, { minLength: max, maxLength: max }));
    }
    case "object": {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, inner(s, key)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
    }
    default:
      return fc.jsonValue();
  }
}

/** A query or path value as the document's style says to send it (form lists joined by commas). */
function serialise(value: unknown, parameter: Parameter): string {
  if (Array.isArray(value)) {
    if (parameter.explode !== false) throw new Error(`${parameter.name}: only comma-separated lists are drawn`);
    return value.map(String).join(",");
  }
  return String(value);
}

/** Requests for one operation of the document. */
export function operationRequests(
  doc: OpenApiDocument,
  template: string,
  method: string,
  hints: Hints = {},
): fc.Arbitrary<SpecRequest> {
  const operation = doc.paths[template]?.[method];
  if (operation === undefined) throw new Error(`${method} ${template} is not in the document`);
  const parameters = operation.parameters ?? [];
  const draw = (p: Parameter) => valueOf(p.schema, { hints, name: p.name, ascii: p.in === "header" });
  const record = Object.fromEntries(parameters.map((p) => [`${p.in}:${p.name}`, draw(p)]));
  const required = parameters.filter((p) => p.required === true || p.in === "path").map((p) => `${p.in}:${p.name}`);
  const body = operation.requestBody?.content["application/json"].schema;
  return fc
    .tuple(
      fc.record(record, { requiredKeys: required }),
      body === undefined ? fc.constant(undefined) : valueOf(body, { hints }),
    )
    .map(([values, json]) => {
      let path = template;
      const query: string[] = [];
      const headers: Record<string, string> = {};
      for (const p of parameters) {
        const value = (values as Record<string, unknown>)[`${p.in}:${p.name}`];
        if (value === undefined) continue;
        const text = serialise(value, p);
        if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(text));
        else if (p.in === "query") query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(text)}`);
        else headers[p.name] = text;
      }
      const request: SpecRequest = {
        operation: `${method} ${template}`,
        method: method.toUpperCase(),
        url: query.length === 0 ? path : `${path}?${query.join("&")}`,
        headers,
      };
      if (json !== undefined) {
        request.body = JSON.stringify(json);
        request.headers["Content-Type"] = "application/json";
        const maxBytes = operation.requestBody?.["x-max-bytes"];
        if (maxBytes !== undefined) request.maxBytes = maxBytes;
      }
      return request;
    })
    .filter(
      (request) => new TextEncoder().encode(request.url).byteLength <= (operation["x-max-url-bytes"] ?? Infinity),
    );
}

/** Requests for every operation of the document, operations equally likely. */
export function specRequests(doc: OpenApiDocument, hints: Hints = {}): fc.Arbitrary<SpecRequest> {
  const all = Object.entries(doc.paths).flatMap(([template, operations]) =>
    Object.keys(operations).map((method) => operationRequests(doc, template, method, hints)),
  );
  return fc.oneof(...all);
}

/** The response schema the document gives for an operation and status, if any (components resolved by the caller). */
export function responseSchema(
  doc: OpenApiDocument,
  request: SpecRequest,
  status: number,
): JsonSchema | null | undefined {
  const [method = "", template = ""] = request.operation.split(" ");
  const documented = doc.paths[template]?.[method]?.responses[String(status)];
  if (documented === undefined) return undefined;
  return documented.content?.["application/json"].schema ?? null;
}
