import type { Surface } from "../../models/config/configDocument.js";
import { bucketOf, NO_EXPERIMENT, signToken } from "../../worker/tokens/eventToken.js";
import { keysFrom, LOCAL_ONLY_TOKEN_KEY } from "../../worker/tokens/hmacKeys.js";

/** One storefront event (an impression of 22423 next to 85123A), without a token; tests override what they vary. */
export const sampleEvent = (overrides: Record<string, unknown> = {}) => ({
  type: "impression",
  sku: "22423",
  anchor: "85123A",
  surface: "also-bought",
  experiment: "none",
  variant: "none",
  unit: "u1",
  ...overrides,
});

export interface MintOptions {
  /** The secret to sign with: the worker's local default unless a test sets EVENT_TOKEN_KEY. */
  key?: string;
  /** When the answer was given (ms). */
  issuedAt?: number;
  model?: string;
  /** The arms the answer named; by default the event's own (or none for "none"). */
  labels?: { id: string; variant: string }[];
  /** The SKUs the answer showed; by default the event's own. */
  shown?: string[];
}

/**
 * The token the worker would have put in the answer this event is about: for tests of what the events
 * route does with one (a real answer's token is tested in eventTokens.test.ts).
 */
export async function mintToken(event: Record<string, unknown>, options: MintOptions = {}): Promise<string> {
  const experiment = String(event.experiment);
  const labels =
    options.labels ?? (experiment === NO_EXPERIMENT ? [] : [{ id: experiment, variant: String(event.variant) }]);
  return signToken(await keysFrom(options.key ?? LOCAL_ONLY_TOKEN_KEY), {
    unit: String(event.unit),
    surface: event.surface as Surface,
    anchor: String(event.anchor ?? ""),
    model: options.model ?? "test-model",
    labels,
    bucket: bucketOf(options.issuedAt ?? Date.now()),
    shown: options.shown ?? [String(event.sku)],
  });
}

/** sampleEvent with a valid token for its own claims. */
export async function signedEvent(overrides: Record<string, unknown> = {}, options: MintOptions = {}) {
  const event = sampleEvent(overrides);
  return { ...event, token: await mintToken(event, options) };
}
