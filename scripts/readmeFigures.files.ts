import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** A Markdown file that may hold marked figures, by its path relative to the repository. */
export interface FigureDocument {
  path: string;
  text: string;
}

/**
 * The README and every page under docs/: the figures moved to docs/ with the reference they belong
 * to, and the script and test must keep finding them wherever they are quoted.
 */
export async function readFigureDocuments(root: string): Promise<FigureDocument[]> {
  const docs = (await readdir(join(root, "docs")))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  const paths = ["README.md", ...docs];
  return Promise.all(paths.map(async (path) => ({ path, text: await readFile(join(root, path), "utf8") })));
}

/** All documents' text in one string, so a figure quoted on two pages must read the same on both. */
export const joinedText = (documents: readonly FigureDocument[]): string => documents.map((d) => d.text).join("\n");

export async function writeFigureDocuments(root: string, documents: readonly FigureDocument[]): Promise<void> {
  for (const { path, text } of documents) await writeFile(join(root, path), text);
}
