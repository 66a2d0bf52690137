import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createReporter } from "../../trainer/progress.js";

export const quiet = createReporter({ quiet: true });

/** Writes a file into a fresh temporary folder (gzip when the name ends in .gz). */
export async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sidecart-unit-"));
  const path = join(dir, name);
  await writeFile(path, name.endsWith(".gz") ? gzipSync(text) : text);
  return path;
}
