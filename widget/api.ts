/** What the widget reads of the worker's answers (the OpenAPI document has the whole shape). */
export interface Item {
  sku: string;
  title: string;
  price: number | null;
  evidence?: { confidence?: number; support?: number; because?: string; priceDelta?: number };
  saving?: number;
}
export interface Answer {
  anchor?: Item;
  items?: Item[];
  bundle?: { items: Item[]; totalPrice: number | null; pairs: { support: number }[] } | null;
  currency: string;
  experiments: { id: string; variant: string }[];
  model: { version: string };
}
export type Surface = "also-bought" | "upgrades" | "bundle" | "cart";

const UNIT_KEY = "sidecart-unit";
let memoryUnit: string | undefined;

/** The shopper's experiment unit: kept in localStorage so a shopper stays in one arm across pages. */
export function unitId(): string {
  try {
    let unit = localStorage.getItem(UNIT_KEY);
    if (!unit) localStorage.setItem(UNIT_KEY, (unit = crypto.randomUUID()));
    return unit;
  } catch {
    // Storage blocked (private mode, sandboxed iframe): one unit for this page's life.
    return (memoryUnit ??= crypto.randomUUID());
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
  const params = new URLSearchParams({ unit: q.unit });
  if (q.limit) params.set("limit", String(q.limit));
  if (q.stage) params.set("stage", q.stage);
  const response =
    q.surface === "cart"
      ? await fetch(`${q.api}/v1/cart/suggestions`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            items: q.skus.map((sku) => ({ sku })),
            unit: q.unit,
            ...(q.limit ? { limit: q.limit } : {}),
            ...(q.stage ? { stage: q.stage } : {}),
          }),
          signal,
        })
      : await fetch(`${q.api}/v1/items/${encodeURIComponent(q.sku)}/${q.surface}?${params}`, { signal });
  if (!response.ok) throw new Error(`sidecart: ${response.status} from ${q.surface}`);
  return (await response.json()) as Answer;
}

export interface ShopperEvent {
  type: "impression" | "click" | "add_to_cart";
  sku: string;
  value?: number;
}

/** Events for the experiment report, one per experiment the answer was served under. */
export function report(q: Question, answer: Answer, events: ShopperEvent[]): void {
  const arms = answer.experiments.length > 0 ? answer.experiments : [{ id: "none", variant: "none" }];
  const surface = q.surface;
  const anchor = q.surface === "cart" ? undefined : q.sku;
  const batch = events.flatMap((e) =>
    arms.map((arm) => ({ ...e, surface, anchor, experiment: arm.id, variant: arm.variant, unit: q.unit })),
  );
  if (batch.length === 0) return;
  // keepalive: a click that navigates away still reports.
  fetch(`${q.api}/v1/events`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ events: batch }),
    keepalive: true,
  }).catch(() => undefined);
}
