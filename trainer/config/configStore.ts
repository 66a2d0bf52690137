import { parseConfigText, type ConfigDocument } from "../../models/config/configDocument.js";
import { KvKeys } from "../../models/contract.js";
import { UserError } from "../errors.js";
import { readManifest } from "../../models/versionStore.js";
import { getText, type KvStore } from "../publish/kvStore.js";
import type { ConfigFile } from "./configFile.js";

/** Model versions the document's variants pin, with where each is named. */
export function pinnedVersions(document: ConfigDocument): { version: string; path: string }[] {
  return document.experiments.flatMap((experiment, i) =>
    experiment.variants.flatMap((variant, j) =>
      variant.model === undefined ? [] : [{ version: variant.model, path: `experiments[${i}].variants[${j}].model` }],
    ),
  );
}

/** The document live in KV, or null when none was pushed (wrangler.toml's defaults serve) or it is invalid. */
export async function readPushedConfig(kv: KvStore): Promise<ConfigDocument | null> {
  const text = await getText(kv, KvKeys.config);
  if (text === null) return null;
  const parsed = parseConfigText(text);
  return parsed.ok ? parsed.document : null;
}

/**
 * Makes a validated document live: every pinned model version must be published (a variant serving a
 * missing model would quietly serve the live one under its label). The text goes in as read.
 */
export async function pushConfig(kv: KvStore, file: ConfigFile): Promise<void> {
  for (const { version, path } of pinnedVersions(file.document)) {
    if ((await readManifest(kv, version)) === null) {
      throw new UserError(`${file.path}: ${path}: model version "${version}" is not published in this KV namespace`);
    }
  }
  await kv.put(KvKeys.config, file.text);
}
