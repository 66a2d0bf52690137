/**
 * Numbers strings in the order they are first seen: returns a function giving each string its
 * position in `names`, appending the ones not there yet. `names` may start with known strings.
 */
export function interner(names: string[]): (value: string) => number {
  const index = new Map(names.map((name, i) => [name, i]));
  return (value) => {
    let id = index.get(value);
    if (id === undefined) {
      id = names.length;
      names.push(value);
      index.set(value, id);
    }
    return id;
  };
}
