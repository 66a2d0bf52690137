import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Manifest } from "../../models/manifest.js";
import { readManifestFile } from "../artifacts.js";
import { UserError } from "../errors.js";
import { readRefusal, type Refusal } from "./refusedMarker.js";

export interface VersionFolder {
  dir: string;
  version: string;
  createdAt: string;
  refusal: Refusal | null;
}

/**
 * The trained versions under outRoot: folders holding a valid manifest. Anything else there (an eval
 * report, a half-written `.partial`, a folder someone made by hand) is not a version and is ignored.
 */
export async function versionFolders(outRoot: string): Promise<VersionFolder[]> {
  const entries = await readdir(outRoot, { withFileTypes: true }).catch(() => []);
  const folders: VersionFolder[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.endsWith(".partial")) continue;
    const dir = join(outRoot, entry.name);
    // No manifest, or not one sidecart wrote (or not whole): never a candidate.
    const manifest: Manifest | null = await readManifestFile(dir).catch(() => null);
    if (manifest === null) continue;
    folders.push({ dir, version: manifest.version, createdAt: manifest.createdAt, refusal: await readRefusal(dir) });
  }
  // Creation time first: a version named by hand need not sort by name.
  return folders.sort(
    (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.version.localeCompare(b.version),
  );
}

export interface NewestVersion {
  dir: string;
  /** Newer versions passed over because the nightly gate refused them. */
  skipped: VersionFolder[];
}

/** The newest version folder the nightly gate did not refuse: what `publish` without --from publishes. */
export async function newestPublishable(outRoot: string): Promise<NewestVersion> {
  const folders = await versionFolders(outRoot);
  const at = folders.findLastIndex((f) => f.refusal === null);
  const newest = folders[at];
  const skipped = folders.slice(at + 1);
  if (newest === undefined) {
    if (skipped.length === 0) throw new UserError(`${outRoot}: no trained model here; run \`sidecart train\` first`);
    throw new UserError(
      `${outRoot}: every version here was refused by the nightly quality gate (${skipped.map((f) => f.version).join(", ")}); publish one anyway with --from ${skipped.at(-1)?.dir ?? outRoot}`,
    );
  }
  return { dir: newest.dir, skipped };
}
