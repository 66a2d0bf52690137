import type { Reason } from "../models/rules/reasons.js";

/**
 * Why a list came back empty, in the shopper's words: one sentence per reason code of the API. A
 * Record over the worker's Reason type, so a new code fails the widget's typecheck until it has one.
 * Each sentence stays true for every surface and answer the code can come with.
 */
const SENTENCES: Record<Reason, string> = {
  // Nothing was even a candidate: the product never sold, or too rarely with anything else.
  no_evidence: "Too few orders include this product yet to say what goes with it.",
  excluded: "You already have what we would suggest here.",
  unavailable: "What we would suggest is out of stock right now.",
  relevance: "Nothing is bought with this product often enough to suggest it.",
  substitute: "What is bought with this product is another version of it, not something to go with it.",
  no_price: "We cannot compare prices for this product.",
  price_anchor: "What is bought with this product costs too much to be an add-on to it.",
  diversity: "We show only a few suggestions of each kind.",
  stage: "Upgrades are not offered at this step.",
  no_ladder: "We sell no other version of this product to compare it with.",
  // Also a product alone in its family: nothing in it costs (or ranks) more.
  top_of_ladder: "We sell no bigger or better version of this product.",
  price_band: "The bigger or better versions of this product cost too much more to suggest.",
  tier: "The other versions of this product are no step up from it.",
  smaller_pack: "The dearer versions of this product come in smaller packs.",
  similarity: "The other versions of this product are too unlike it to suggest.",
  no_pair: "We found no add-ons that are also bought with each other.",
};

const isReason = (code: string): code is Reason => Object.hasOwn(SENTENCES, code);

/**
 * The sentence for an empty answer's main reason (the API lists the most frequent first). A code
 * this widget does not know yet (a newer worker) reads as the plain fact; no reasons, nothing.
 */
export function emptyReason(reasons: readonly string[]): string {
  const [first] = reasons;
  if (first === undefined) return "";
  return isReason(first) ? SENTENCES[first] : "We have no suggestions for this product yet.";
}
