import type { Pointer } from "../../models/manifest.js";
import type { Artifacts } from "../artifacts.js";
import type { KvStore } from "./kvStore.js";
import { publishVersion } from "./publishVersion.js";
import { applyRetention } from "./retention.js";

export interface Published {
  pointer: Pointer;
  /** The version that was live before (null: the first publish). */
  was: string | null;
  /** Versions retention deleted afterwards, oldest first. */
  pruned: string[];
}

/** What `publish` and the nightly job both do: publish the version, then apply retention. */
export async function publishAndPrune(
  kv: KvStore,
  artifacts: Artifacts,
  options: { keep: number; now?: Date },
): Promise<Published> {
  const { was, ...pointer } = await publishVersion(kv, artifacts, options.now);
  const pruned = (await applyRetention(kv, options.keep)).deleted.map((d) => d.version);
  return { pointer, was, pruned };
}

/** The one line both commands print after publishing. */
export function publishedLine({ pointer, was, pruned }: Published, keep: number, where: string): string {
  const deleted = pruned.length > 0 ? `, deleted ${pruned.join(", ")}` : "";
  return `published ${pointer.version} to ${where}${was ? ` (was ${was})` : ""}; kept the newest ${keep} versions${deleted}`;
}
