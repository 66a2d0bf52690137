import type { Answer, Item, Surface } from "./api.js";

export function money(currency: string): (value: number) => string {
  const format = new Intl.NumberFormat(document.documentElement.lang || navigator.language, {
    style: "currency",
    currency,
  });
  return (value) => format.format(value);
}

/** How the graph level's product in between relates to the product on the page. */
const VIA_CLAUSE = {
  bought_with: "which goes with this",
  variant: "another version of this",
  lookalike: "a product like this",
} as const;

/** The one line of evidence under a suggestion: why it is here, in the shopper's words. */
export function evidenceLine(surface: Surface, item: Item, price: (v: number) => string): string {
  const e = item.evidence ?? {};
  if (surface === "upgrades") {
    if (item.saving !== undefined && item.saving > 0) return `Saves ${price(item.saving)}`;
    const delta = e.priceDelta ?? 0;
    return delta > 0 ? `${price(delta)} more` : delta < 0 ? `${price(-delta)} less` : "Same price";
  }
  const share = Math.round((e.confidence ?? 0) * 100);
  // Each level's sentence says what its numbers are about, never more.
  if (item.source === "category" && e.categories) {
    return `${share}% of orders with ${leaf(e.categories.anchor)} also had ${leaf(e.categories.item)}`;
  }
  if (item.source === "graph" && e.via) return `Often bought with ${e.via.title}, ${VIA_CLAUSE[e.via.relation]}`;
  // Confidence is a share of the anchor's orders (baskets), not of its buyers; on the cart, the
  // anchor is the line named in evidence.because.
  const anchor = surface === "cart" ? "a product in your cart" : "this";
  return share > 0 ? `In ${share}% of orders with ${anchor}` : "";
}

export function headingOf(surface: Surface, answer: Answer): string {
  const anchor = answer.anchor?.title;
  switch (surface) {
    case "also-bought":
      return anchor ? `Customers who bought ${anchor} also bought` : "Customers also bought";
    case "upgrades":
      return "Upgrade to";
    case "bundle":
      return "Frequently bought together";
    case "cart":
      return "Complete your order";
  }
}

/** A category path's last level ("Grocery > Bag snacks > Potato chips" → "Potato chips"). */
function leaf(path: string): string {
  return path.split(" > ").at(-1) ?? path;
}
