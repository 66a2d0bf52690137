import { NO_GROUP } from "../models/catalog.js";

/**
 * Words that name a variant of a product rather than the product: colours and finishes, prints, sizes.
 * Titles that are equal once these are gone are the same product in another colour or size (ROSES /
 * GREEN / PINK REGENCY TEACUP AND SAUCER). Deliberately left out: JUMBO, GIANT, BIG (JUMBO BAG and
 * LUNCH BAG are different products, and JUMBO is part of the product's name there), LIGHT (NIGHT
 * LIGHT is a product), materials such as GLASS, PAPER, TIN or WOODEN (CAKE TIN is a product).
 */
const VARIANT_WORDS = new Set([
  // colours and shades
  ...["RED", "PINK", "GREEN", "BLUE", "WHITE", "BLACK", "IVORY", "CREAM", "YELLOW", "ORANGE", "PURPLE"],
  ...["LILAC", "LAVENDER", "BROWN", "GREY", "GRAY", "BEIGE", "NATURAL", "TEAL", "TURQUOISE", "AQUA"],
  ...["NAVY", "MAUVE", "MAGENTA", "FUCHSIA", "CORAL", "PEACH", "MINT", "LIME", "OLIVE", "KHAKI", "RUBY"],
  ...["SCARLET", "BURGUNDY", "PASTEL", "PALE", "DARK", "BRIGHT", "MULTICOLOUR", "COLOUR", "COLOURED"],
  // metal finishes, sold as colours of one product (ZINC / WHITE HANGING HEART T-LIGHT HOLDER)
  ...["SILVER", "GOLD", "COPPER", "BRONZE", "ZINC", "CHROME", "PEWTER"],
  // prints
  ...["RETROSPOT", "POLKADOT", "POLKA", "DOT", "DOTTY", "SPOT", "SPOTTY", "PAISLEY", "STRIPE", "STRIPED"],
  ...["STRIPEY", "FLORAL", "ROSE", "GINGHAM", "CHECK", "CHECKED", "TARTAN", "LEOPARD", "ZEBRA"],
  // sizes
  ...["SMALL", "SML", "MEDIUM", "MED", "LARGE", "LGE", "MINI", "XL", "XXL"],
]);

/** A variant word or its plural (PINKS, ROSES, DOTS, STRIPES), as a whole word of a normalised title. */
const VARIANT = new RegExp(`(?<=^| )(?:${[...VARIANT_WORDS].join("|")})S?(?= |$)`, "g");
/** Anything but letters, digits, apostrophes and hyphens separates words (PINK/WHITE, SET/10, BAG.). */
const SEPARATORS = /[^A-Z0-9'-]+/g;
/** An apostrophe or hyphen at a word's edge is punctuation ("SKULL -", "'BEST'"). */
const EDGE_PUNCTUATION = /(?<=^| )['-]+|['-]+(?= |$)/g;
/** "… SPACEBOY DESIGN": the words before a closing DESIGN are a print's name (LUNCH BAG DOLLY GIRL DESIGN). */
const DESIGN = " DESIGN";
/** Up to this many words before a closing DESIGN may be the print's name. */
const DESIGN_NAME_WORDS = 2;
/** A shared remainder this short says too little (PINK HEART and RED HEART may be anything). */
const MIN_KEY_WORDS = 2;
/**
 * A key shared by more items than this is a generic name, not one product's variants (a generated
 * catalog titled "Item 12 tier 1" would otherwise become one family).
 */
const MAX_FAMILY = 40;

interface ProductWords {
  /** The title's words without variant words and a closing DESIGN, one space apart. */
  text: string;
  design: boolean;
}

/** A title without its variant words: whole-string regexes, no word arrays (200k titles stay fast). */
function productWords(title: string): ProductWords {
  let text = title.toUpperCase().replace(SEPARATORS, " ");
  if (text.includes("'") || text.includes("-")) text = text.replace(EDGE_PUNCTUATION, "");
  text = text.replace(VARIANT, "").replace(/ {2,}/g, " ").trim();
  const design = text.endsWith(DESIGN);
  return { text: design ? text.slice(0, -DESIGN.length) : text, design };
}

function wordCount(text: string): number {
  let count = text === "" ? 0 : 1;
  for (let at = text.indexOf(" "); at >= 0; at = text.indexOf(" ", at + 1)) count++;
  return count;
}

const lastWord = (text: string) => text.slice(text.lastIndexOf(" ") + 1);

/**
 * The shop's own print names: the word before a closing DESIGN in any title (COFFEE MUG APPLES DESIGN
 * names APPLES a print, so JUMBO BAG APPLES is a JUMBO BAG in the APPLES print). A product noun
 * (SPADE, COASTER) never stands there, which keeps CHILDS GARDEN SPADE and CHILDS GARDEN RAKE apart.
 */
function printNames(titles: readonly ProductWords[]): Set<string> {
  const prints = new Set<string>();
  for (const { text, design } of titles) if (design) prints.add(lastWord(text));
  return prints;
}

/**
 * The keys a title joins: its words without variant words, and for "PRODUCT + print" titles the same
 * without the print: the one or two words before a closing DESIGN (LUNCH BAG DOLLY GIRL DESIGN), or a
 * last word the shop uses as a print name elsewhere (JUMBO BAG APPLES). Only words at the end are
 * dropped, and at least two stay, so LUNCH BAG and JUMBO BAG stay apart; a title without a print
 * shares the key (LUNCH BAG RED RETROSPOT is a LUNCH BAG).
 */
function keysOf({ text, design }: ProductWords, prints: ReadonlySet<string>): string[] {
  const words = wordCount(text);
  if (words < MIN_KEY_WORDS) return [];
  const keys = [text];
  const droppable = design ? DESIGN_NAME_WORDS : prints.has(lastWord(text)) ? 1 : 0;
  let rest = text;
  for (let drop = 1; drop <= droppable && words - drop >= MIN_KEY_WORDS; drop++) {
    rest = rest.slice(0, rest.lastIndexOf(" "));
    keys.push(rest);
  }
  return keys;
}

/** Each title's keys (exported for the tests: which titles the trainer would call variants). */
export function variantKeys(titles: readonly string[]): string[][] {
  const parsed = titles.map(productWords);
  const prints = printNames(parsed);
  return parsed.map((title) => keysOf(title, prints));
}

/** Union-find over item indices with path halving: near-linear in items. */
class Components {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    let x = i;
    for (let p = this.parent[x] ?? x; p !== x; p = this.parent[x] ?? x) {
      const grand = this.parent[p] ?? p;
      this.parent[x] = grand;
      x = grand;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The lower index is the root, so a family's name is its first item's, whatever the merge order.
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }
}

export interface VariantFamilies {
  ids: Int32Array;
  names: string[];
}

/**
 * Variant families: the catalog's families, joined where titles say two items are variants of one
 * product. A catalog family is never split (its items stay together), but two catalog families can
 * join: the bundled sample's stock_family is the numeric stock code, so the ROSES, GREEN and PINK
 * teacups are three families there. An item without a catalog family that matches no other title
 * keeps NO_GROUP. Names: the catalog's name for a family the titles did not join, the first item's
 * title without variant words otherwise. Linear in the total title length.
 */
export function variantFamilies(
  titles: readonly string[],
  catalogIds: Int32Array,
  catalogNames: readonly string[],
): VariantFamilies {
  const n = titles.length;
  const components = new Components(n);
  const firstOfFamily = new Int32Array(catalogNames.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const family = catalogIds[i] ?? NO_GROUP;
    if (family === NO_GROUP) continue;
    const first = firstOfFamily[family] ?? -1;
    if (first < 0) firstOfFamily[family] = i;
    else components.union(first, i);
  }

  // Each key's first item and how many share it, then one union per sharing item.
  const slots = new Map<string, number>();
  const firstOfKey: number[] = [];
  const sharing: number[] = [];
  const itemSlots: number[] = [];
  const itemOf: number[] = [];
  const keys = variantKeys(titles);
  for (let i = 0; i < n; i++) {
    for (const key of keys[i] ?? []) {
      let slot = slots.get(key);
      if (slot === undefined) {
        slot = firstOfKey.length;
        slots.set(key, slot);
        firstOfKey.push(i);
        sharing.push(0);
      }
      sharing[slot] = (sharing[slot] ?? 0) + 1;
      if (firstOfKey[slot] !== i) {
        itemSlots.push(slot);
        itemOf.push(i);
      }
    }
  }
  let joined = false;
  for (let p = 0; p < itemSlots.length; p++) {
    const slot = itemSlots[p] ?? 0;
    const count = sharing[slot] ?? 0;
    if (count > MAX_FAMILY) continue;
    const i = itemOf[p] ?? 0;
    const first = firstOfKey[slot] ?? i;
    if (components.find(i) !== components.find(first)) joined = true;
    components.union(first, i);
  }

  // Nothing joined: the catalog's own ids and names, unchanged.
  if (!joined) return { ids: catalogIds, names: [...catalogNames] };

  const size = new Int32Array(n);
  const catalogFamilies = new Map<number, Set<number>>();
  for (let i = 0; i < n; i++) {
    const root = components.find(i);
    size[root] = (size[root] ?? 0) + 1;
    const family = catalogIds[i] ?? NO_GROUP;
    if (family === NO_GROUP) continue;
    const set = catalogFamilies.get(root) ?? new Set<number>();
    set.add(family);
    catalogFamilies.set(root, set);
  }
  const idOfRoot = new Map<number, number>();
  const names: string[] = [];
  const used = new Set<string>();
  const ids = new Int32Array(n).fill(NO_GROUP);
  for (let i = 0; i < n; i++) {
    const root = components.find(i);
    const families = catalogFamilies.get(root);
    if (families === undefined && (size[root] ?? 0) < 2) continue;
    let id = idOfRoot.get(root);
    if (id === undefined) {
      const only = families?.size === 1 ? [...families][0] : undefined;
      const base = only !== undefined ? (catalogNames[only] ?? "") : (keys[root]?.[0] ?? titles[root] ?? "");
      let name = base;
      for (let k = 2; used.has(name); k++) name = `${base} (${k})`;
      used.add(name);
      id = names.length;
      names.push(name);
      idOfRoot.set(root, id);
    }
    ids[i] = id;
  }
  return { ids, names };
}
