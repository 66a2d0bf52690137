/** What a title can be built from when the shop's catalog has none. */
export interface TitleSource {
  title: string;
  /** Category path, levels joined with " > ". */
  category: string;
  brand: string;
  /** Pack or size ("14.5 OZ"), when the catalog has one. */
  size?: string;
}

// Exports such as Complete Journey's shout in capitals; a card reads better in title case, but a
// shop's own mixed case ("iPhone cases") is kept as it is.
function readable(text: string): string {
  const trimmed = text.trim();
  if (trimmed !== trimmed.toUpperCase()) return trimmed;
  return trimmed.toLowerCase().replace(/(^|[\s(/-])(\p{Ll})/gu, (_, before: string, letter: string) => {
    return before + letter.toUpperCase();
  });
}

/**
 * The product's own title, or, when the catalog has none, one made of its leaf category, size and
 * brand ("Kids Cereal, 14.5 oz (National)"): a card with only a price tells the shopper nothing, and
 * search matches title words. Empty when there is nothing to build from.
 */
export function catalogTitle(source: TitleSource): string {
  if (source.title.trim() !== "") return source.title;
  const leaf = readable(source.category.split(" > ").at(-1) ?? "");
  const size = (source.size ?? "").trim().toLowerCase();
  const brand = readable(source.brand);
  const name = [leaf, size].filter((part) => part !== "").join(", ");
  if (name === "") return brand;
  return brand === "" ? name : `${name} (${brand})`;
}
