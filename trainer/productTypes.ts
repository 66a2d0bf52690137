import { NO_GROUP } from "../models/catalog.js";
import { interner } from "./interner.js";

/**
 * Words that say what a product looks like, how big it is or how it is sold, never what kind of thing
 * it is. Titles end in them often ("JUMBO BAG RED RETROSPOT", "CANDLE BOWL SMALL", "CAKE TINS PANTRY
 * DESIGN"), so a title's last word alone would name its colour; the learned rule below finds most of
 * the rest (a shop's own print names), this list the ones every shop shares.
 */
const DESCRIPTIVE = new Set(
  (
    "RED PINK BLUE GREEN WHITE BLACK IVORY CREAM SILVER GOLD GREY GRAY YELLOW ORANGE PURPLE BROWN NATURAL " +
    "CLEAR PASTEL BRIGHT DARK LIGHT SMALL LARGE MEDIUM MINI JUMBO GIANT BIG TINY ASSORTED ASSTD DESIGN " +
    "DESIGNS COLOUR COLOURS COLOR COLORS STYLE SET PACK OF AND WITH IN THE FOR A"
  ).split(" "),
);

/** Titles a word must be in before its share counts (a word in one or two titles says nothing). */
const MIN_TITLES = 3;

/** English plurals to their singular, so "CAKE CASES" and "CAKE CASE" are one kind. */
export function singular(word: string): string {
  if (word.length > 4 && word.endsWith("IES")) return `${word.slice(0, -3)}Y`;
  if (word.length > 3 && word.endsWith("ES") && /(SS|X|CH|SH)ES$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("S") && !word.endsWith("SS")) return word.slice(0, -1);
  return word;
}

function words(title: string): string[] {
  return (title.toUpperCase().match(/[A-Z][A-Z'-]*/g) ?? []).map(singular);
}

/**
 * A product type for each item, from titles (catalogs without categories, where the diversity cap has
 * nothing else to tell "four packs of cake cases" from four different things): the kind of thing a
 * title names is the word of it that most often ends the titles it is in (among words in at least 3
 * titles), as nouns do in product titles ("…T-LIGHT HOLDER", "…CAKE CASES") and prints, colours and
 * sizes do less ("JUMBO BAG RED RETROSPOT": BAG ends 37% of its titles, RETROSPOT 30%); the rightmost
 * on a tie, and the rightmost word that is not descriptive when no word is in 3 titles. "PACK OF 72
 * RETROSPOT CAKE CASES" and "60 TEATIME FAIRY CAKE CASES" are both CASE. A title without words has no
 * type (NO_GROUP).
 */
export function productTypes(titles: readonly string[]): { ids: Int32Array; names: string[] } {
  const split = titles.map(words);
  const inTitles = new Map<string, number>();
  const last = new Map<string, number>();
  for (const ws of split) {
    for (const w of new Set(ws)) inTitles.set(w, (inTitles.get(w) ?? 0) + 1);
    const end = ws[ws.length - 1];
    if (end !== undefined) last.set(end, (last.get(end) ?? 0) + 1);
  }
  const endShare = (w: string) => {
    const n = inTitles.get(w) ?? 0;
    return DESCRIPTIVE.has(w) || n < MIN_TITLES ? -1 : (last.get(w) ?? 0) / n;
  };
  const names: string[] = [];
  const idOf = interner(names);
  const ids = Int32Array.from(split, (ws) => {
    let best: string | null = null;
    let bestShare = -1;
    let plain: string | null = null;
    for (let k = ws.length - 1; k >= 0; k--) {
      const w = ws[k] ?? "";
      const share = endShare(w);
      if (share > bestShare) [best, bestShare] = [w, share];
      if (plain === null && !DESCRIPTIVE.has(w)) plain = w;
    }
    const kind = bestShare >= 0 ? best : plain;
    return kind === null ? NO_GROUP : idOf(kind);
  });
  return { ids, names };
}
