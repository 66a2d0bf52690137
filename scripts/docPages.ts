import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The pages a reader of the repository is sent to: README.md and every docs/*.md. */
export function docPages(root: string): string[] {
  const docs = readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md"));
  return ["README.md", ...docs.map((name) => `docs/${name}`)];
}

/** A page's text, by its path from the repository root. */
export const readPage = (root: string, page: string): string => readFileSync(join(root, page), "utf8");
