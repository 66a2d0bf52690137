/** An element with a ::part name (and the same class, for the widget's own styles) and its text. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  part: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.setAttribute("part", part);
  node.className = part;
  if (text !== undefined) node.textContent = text;
  return node;
}
