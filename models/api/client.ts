import type { z } from "zod";
import type { Stage } from "../config/rulesConfig.js";
import type { eventSchema } from "../events/event.js";
import type {
  AlsoBoughtAnswer,
  BundleAnswer,
  CartAnswer,
  ErrorAnswer,
  EventsAccepted,
  SearchAnswer,
  UpgradesAnswer,
} from "./answers.js";

/**
 * A typed client for TypeScript storefronts (server or browser): one method per route, answers typed
 * from the same schemas the OpenAPI document is generated from. No dependencies beyond `fetch`.
 */
export interface ItemOptions {
  limit?: number;
  stage?: Stage;
  /** SKUs the shopper already has. */
  exclude?: string[];
  /** The experiment unit (shopper or session id). */
  unit?: string;
  /** Cancels the request (e.g. when a widget's SKU changes before the answer came). */
  signal?: AbortSignal;
}

export interface CartLine {
  sku: string;
  quantity?: number;
  price?: number;
}

/**
 * One storefront event. `token` is the `token` of the answer the event is about, passed through as it
 * came; experiment and variant are one of that answer's `experiments` ("none" for both when it had none).
 */
export type ShopperEvent = z.input<typeof eventSchema>;

export class SidecartError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = "SidecartError";
  }
}

export interface ClientOptions {
  /** Where the worker answers, e.g. https://sidecart.example.workers.dev */
  baseUrl: string;
  fetch?: typeof fetch;
}

export function createSidecartClient({ baseUrl, fetch: doFetch = fetch }: ClientOptions) {
  const base = baseUrl.replace(/\/$/, "");
  async function call<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await doFetch(`${base}${path}`, init);
    const body: unknown = await response.json();
    if (!response.ok) {
      const { error } = body as ErrorAnswer;
      throw new SidecartError(response.status, error.code, error.message);
    }
    return body as T;
  }
  const itemQuery = (options: ItemOptions & { spend?: number }) => {
    const params = new URLSearchParams();
    if (options.limit !== undefined) params.set("limit", String(options.limit));
    if (options.stage) params.set("stage", options.stage);
    if (options.exclude?.length) params.set("exclude", options.exclude.join(","));
    if (options.unit) params.set("unit", options.unit);
    if (options.spend !== undefined) params.set("spend", String(options.spend));
    const text = params.toString();
    return text ? `?${text}` : "";
  };
  const item = (sku: string, surface: string, options: ItemOptions & { spend?: number }) =>
    `/v1/items/${encodeURIComponent(sku)}/${surface}${itemQuery(options)}`;
  return {
    alsoBought: (sku: string, options: ItemOptions = {}) =>
      call<AlsoBoughtAnswer>(item(sku, "also-bought", options), { signal: options.signal }),
    upgrades: (sku: string, options: ItemOptions & { spend?: number } = {}) =>
      call<UpgradesAnswer>(item(sku, "upgrades", options), { signal: options.signal }),
    bundle: (sku: string, options: ItemOptions = {}) =>
      call<BundleAnswer>(item(sku, "bundle", options), { signal: options.signal }),
    cart: (items: CartLine[], { signal, ...options }: ItemOptions = {}) =>
      call<CartAnswer>("/v1/cart/suggestions", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ items, ...options }),
        signal,
      }),
    /** keepalive: the request outlives the page (a click that navigates away still reports). */
    events: (events: ShopperEvent[], { keepalive = false }: { keepalive?: boolean } = {}) => {
      // A variable, not a literal: keepalive is in the browsers' RequestInit, not in the Workers' type.
      const init = {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ events }),
        keepalive,
      };
      return call<EventsAccepted>("/v1/events", init);
    },
    search: (q: string, limit = 10) =>
      call<SearchAnswer>(`/v1/catalog/search?${new URLSearchParams({ q, limit: String(limit) })}`),
  };
}

export type SidecartClient = ReturnType<typeof createSidecartClient>;
