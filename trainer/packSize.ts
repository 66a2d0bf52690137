import { PackMeasure } from "../models/catalog.js";

/** A pack size read from the catalog: how much of one measure (grams, millilitres or pieces). */
export interface PackSize {
  measure: PackMeasure;
  amount: number;
}

const MASS = PackMeasure.mass;
const VOLUME = PackMeasure.volume;
const COUNT = PackMeasure.count;

/** Units as shops write them, in grams, millilitres or pieces. "oz" alone is weight (US labels say "fl oz" for volume). */
const UNITS = new Map<string, readonly [PackMeasure, number]>([
  ...["g", "gr", "gram", "grams"].map((u) => [u, [MASS, 1]] as const),
  ...["kg", "kilo", "kilos"].map((u) => [u, [MASS, 1000]] as const),
  ...["oz", "ounce", "ounces"].map((u) => [u, [MASS, 28.349523125]] as const),
  ...["lb", "lbs", "pound", "pounds"].map((u) => [u, [MASS, 453.59237]] as const),
  ...["ml"].map((u) => [u, [VOLUME, 1]] as const),
  ...["cl"].map((u) => [u, [VOLUME, 10]] as const),
  ...["l", "lt", "ltr", "liter", "liters", "litre", "litres"].map((u) => [u, [VOLUME, 1000]] as const),
  ...["fl oz", "floz", "fz"].map((u) => [u, [VOLUME, 29.5735295625]] as const),
  ...["pt", "pint", "pints"].map((u) => [u, [VOLUME, 473.176473]] as const),
  ...["qt", "quart", "quarts"].map((u) => [u, [VOLUME, 946.352946]] as const),
  ...["ga", "gal", "gallon", "gallons"].map((u) => [u, [VOLUME, 3785.411784]] as const),
  ...["ct", "count", "pk", "pack", "ea", "each", "pc", "pcs"].map((u) => [u, [COUNT, 1]] as const),
  ...["dz", "doz", "dozen"].map((u) => [u, [COUNT, 12]] as const),
]);

/** Words after the size that say what the pack is, not how much ("12 OZ CAN"). */
const PACKAGING = new Set(["can", "cans", "btl", "bottle", "bottles", "pet", "bag", "box", "jar", "loose", "tub"]);

/**
 * Denominators of a fraction of one unit ("1/2 GAL", "3/4 OZ" of herbs); "4/4 OZ", "4/16 OZ" (four
 * pints of beer) and "10/6.75 OZ" are multipacks (Complete Journey writes both kinds so).
 */
const FRACTION_DENOMINATORS = new Set([2, 3, 4]);

const NUMBER = String.raw`\d+(?:\.\d+)?`;
/** A quantity: "14.5", "1/2", "10 3/4", or "12/12" and "10/6.75" (so many packs of so much). */
const QUANTITY = new RegExp(String.raw`^(${NUMBER})(?:\s+(\d+)/(\d+)|/(${NUMBER}))?\s*(.*)$`);

/** Words that count packs rather than pieces: "12 PK/12 OZ" is twelve 12-ounce packs. */
const PACK_WORDS = new Set(["pk", "pack"]);

interface Term {
  quantity: number;
  packs: number;
  word: string;
  unit: readonly [PackMeasure, number];
}

/** A quantity and its unit word(s); null when either cannot be read. */
function term(text: string): Term | null {
  const match = QUANTITY.exec(text.trim());
  if (match === null) return null;
  const [, whole = "", mixedTop, mixedBottom, over, rest = ""] = match;
  let quantity = Number(whole);
  let packs = 1;
  if (mixedTop !== undefined && mixedBottom !== undefined) {
    const bottom = Number(mixedBottom);
    if (bottom === 0) return null;
    quantity += Number(mixedTop) / bottom;
  } else if (over !== undefined) {
    const bottom = Number(over);
    if (Number.isInteger(bottom) && FRACTION_DENOMINATORS.has(bottom) && quantity < bottom) quantity /= bottom;
    else if (Number.isInteger(quantity)) [packs, quantity] = [quantity, bottom];
    else return null;
  }
  const word = rest
    .split(/\s+/)
    .filter((w) => w !== "" && !PACKAGING.has(w))
    .join(" ");
  const unit = UNITS.get(word) ?? null;
  if (unit === null || !Number.isFinite(quantity) || quantity <= 0) return null;
  return { quantity, packs, word, unit };
}

/**
 * A catalog's size text as an amount of one measure: "14.5 OZ" (411 g), "1/2 GAL" (1,893 ml),
 * "12 PK/12 OZ" and "12/12 OZ" (twelve 12-ounce packs), "10 3/4 OZ", "18 CT", "1 DZ" (12 pieces).
 * Null when it says something else ("LOAD", "SQ FT", "12/18&15PK"), or its parts could mean either
 * a pack of packs or a box's weight and count ("10.4 OZ/8 CT"): a size not read is never compared.
 */
export function parsePackSize(text: string): PackSize | null {
  const parts = text
    .toLowerCase()
    .replace(/\s+/g, " ")
    // Only a slash after a unit joins two sizes: "12 PK/12 OZ", not "1/2 GAL" or "12/12 OZ".
    .split(/(?<=[a-z])\s*\/\s*/)
    .map((part) => part.trim());
  if (parts.length === 1) {
    const one = term(parts[0] ?? "");
    return one === null ? null : { measure: one.unit[0], amount: one.packs * one.quantity * one.unit[1] };
  }
  if (parts.length !== 2) return null;
  // "12 PK/12 OZ": so many packs, then what each holds. A count of pieces first ("30 CT/15 OZ") or a
  // measure first ("12 OZ/12 PK", "10.4 OZ/8 CT") may be the box's pieces and weight: unread.
  const [first, second] = parts.map((part) => term(part));
  if (first == null || second == null || first.packs !== 1 || second.packs !== 1) return null;
  if (!PACK_WORDS.has(first.word) || second.unit[0] === COUNT) return null;
  return { measure: second.unit[0], amount: first.quantity * first.unit[1] * second.quantity * second.unit[1] };
}
