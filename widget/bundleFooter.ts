import type { Item } from "./api.js";
import { element } from "./dom.js";

/**
 * Under a bundle: what the whole set costs and one button that adds all of it, as shops show a
 * "frequently bought together" set. No total when a price is unknown (the API then sends null);
 * no button when the shop handles no adds (no add-label or add-all-label).
 */
export function bundleFooter(
  totalPrice: number | null,
  items: readonly Item[],
  price: (value: number) => string,
  addAllLabel: string | null,
  addAll: (items: readonly Item[]) => void,
): HTMLElement[] {
  const parts: HTMLElement[] = [];
  if (totalPrice !== null) parts.push(element("p", "total", `Total for all ${items.length}: ${price(totalPrice)}`));
  if (addAllLabel) {
    const button = element("button", "add-all", addAllLabel);
    button.type = "button";
    button.addEventListener("click", () => addAll(items));
    parts.push(button);
  }
  return parts;
}
