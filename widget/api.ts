import type { Surface } from "../models/config/configDocument.js";
import { createSidecartClient, type ItemOptions } from "../models/api/client.js";

/**
 * What the widget reads of the worker's answers: one flat view of the four answer types. The typed
 * client's answers must be assignable to it (see ask), so a change to models/api/answers.ts that the
 * widget depends on fails the widget's typecheck.
 */
export interface Item {
  sku: string;
  title: string;
  price: number | null;
  source?: "item" | "category" | "graph";
  evidence?: {
    confidence?: number;
    support?: number;
    because?: string;
    priceDelta?: number;
    categories?: { anchor: string; item: string };
    via?: { sku: string; title: string; relation: "bought_with" | "variant" | "lookalike" };
  };
  saving?: number;
}
export interface Answer {
  anchor?: Item;
  items?: Item[];
  bundle?: { items: Item[]; totalPrice: number | null; pairs: { support: number }[] } | null;
  /** Why the list is shorter than asked, most frequent first (codes of models/rules/reasons.ts). */
  reasons?: string[];
  currency: string;
  experiments: { id: string; variant: string }[];
  model: { version: string };
  /** Passed untouched with every event about this answer; the worker refuses events without it. */
  token?: string;
  /** The unit the worker issued when the widget asked for one ("new"): kept for the shopper. */
  unit?: string;
}
/** The surface a widget shows; one definition with the worker's routes and event schema. */
export type { Surface };

const UNIT_KEY = "sidecart-unit";
let memoryUnit: string | undefined;

/**
 * The shopper's experiment unit: the one the worker issued, kept in localStorage so a shopper stays in
 * one arm across pages; "new" asks the worker for one (a unit no script on the page picked).
 */
export function unitId(): string {
  try {
    return localStorage.getItem(UNIT_KEY) ?? memoryUnit ?? "new";
  } catch {
    // Storage blocked (private mode, sandboxed iframe): the issued unit for this page's life.
    return memoryUnit ?? "new";
  }
}

/** Keeps the unit an answer was issued. */
function keepUnit(unit: string): void {
  memoryUnit = unit;
  try {
    localStorage.setItem(UNIT_KEY, unit);
  } catch {
    // Storage blocked: memoryUnit serves this page.
  }
}

export interface Question {
  api: string;
  surface: Surface;
  sku: string;
  skus: string[];
  limit: number | undefined;
  stage: string | undefined;
  unit: string;
}

export async function ask(q: Question, signal: AbortSignal): Promise<Answer> {
  const answer = await askFor(q, signal);
  if (answer.unit !== undefined) keepUnit(answer.unit);
  return answer;
}

function askFor(q: Question, signal: AbortSignal): Promise<Answer> {
  const client = createSidecartClient({ baseUrl: q.api });
  // An empty stage attribute means the default, as a missing one does.
  const options = { unit: q.unit, limit: q.limit, stage: (q.stage || undefined) as ItemOptions["stage"], signal };
  switch (q.surface) {
    case "cart":
      return client.cart(
        q.skus.map((sku) => ({ sku })),
        options,
      );
    case "also-bought":
      return client.alsoBought(q.sku, options);
    case "upgrades":
      return client.upgrades(q.sku, options);
    case "bundle":
      return client.bundle(q.sku, options);
  }
}

export interface ShopperEvent {
  type: "impression" | "click" | "add_to_cart";
  sku: string;
  value?: number;
}

/** Events for the experiment report, one per experiment the answer was served under. */
export function report(q: Question, answer: Answer, events: ShopperEvent[]): void {
  // An answer without a token (no unit asked) cannot vouch for events: the worker would refuse them.
  const token = answer.token;
  if (token === undefined) return;
  const arms = answer.experiments.length > 0 ? answer.experiments : [{ id: "none", variant: "none" }];
  const surface = q.surface;
  const anchor = q.surface === "cart" ? undefined : q.sku;
  const batch = events.flatMap((e) =>
    arms.map((arm) => ({
      ...e,
      surface,
      anchor,
      experiment: arm.id,
      variant: arm.variant,
      unit: answer.unit ?? q.unit,
      token,
    })),
  );
  if (batch.length === 0) return;
  // keepalive: a click that navigates away still reports.
  createSidecartClient({ baseUrl: q.api })
    .events(batch, { keepalive: true })
    .catch(() => undefined);
}
