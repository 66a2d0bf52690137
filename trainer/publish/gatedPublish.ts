import { readManifest, readPointer } from "../../models/versionStore.js";
import type { Artifacts } from "../artifacts.js";
import { UserError } from "../errors.js";
import type { KvStore } from "./kvStore.js";
import { publishAndPrune, type Published } from "./publishAndPrune.js";
import { qualityGate } from "./qualityGate.js";
import { markRefused } from "./refusedMarker.js";

/**
 * The nightly job's last step: publish `artifacts` only if no metric dropped past `tolerance` against
 * the live version's. A refused version is marked in its folder, so a later `publish` without --from
 * does not put it live just because it is the newest there.
 */
export async function publishIfGatePasses(
  kv: KvStore,
  artifacts: Artifacts,
  options: { tolerance: number; keep: number; now?: Date },
): Promise<Published> {
  const now = options.now ?? new Date();
  const live = await readPointer(kv);
  const liveManifest = live ? await readManifest(kv, live.version) : null;
  const gate = qualityGate(artifacts.manifest.metrics ?? {}, liveManifest?.metrics, options.tolerance);
  if (!gate.pass) {
    const reason = `${gate.drops.join("; ")} versus live ${live?.version} (tolerance ${100 * options.tolerance}%)`;
    await markRefused(artifacts.dir, { reason, at: now.toISOString(), live: live?.version ?? null });
    throw new UserError(
      `not published: ${reason}; ${artifacts.manifest.version} stays in ${artifacts.dir}, marked refused (publish --from it to override)`,
    );
  }
  return publishAndPrune(kv, artifacts, { keep: options.keep, now });
}
