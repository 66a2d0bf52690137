import { KvKeys } from "../../models/contract.js";
import type { Artifacts } from "../artifacts.js";
import { planBulkWrites } from "./kvBulkWrites.js";
import { versionEntries } from "./publishVersion.js";
import { afterPublishing, planRetention, type RetentionState } from "./retention.js";

export interface DryRun {
  version: string;
  target: string;
  writes: { key: string; bytes: number; request: number }[];
  /** Write requests in all (bulk requests for the blobs, then the manifest, the pointer, the history). */
  requests: number;
  retention: { keep: number; deleted: string[]; deletedKeys: number } | { keep: number; unknown: string };
}

export interface DryRunOptions {
  /** Where it would publish, as the summary names it. */
  target: string;
  /** The REST API takes blob chunks in bulk requests; the local store one value per call. */
  bulk: boolean;
  keep: number;
  /** The store as it is now, or why it could not be read. */
  state: RetentionState | { unknown: string };
}

const size = (value: Uint8Array | string) => (typeof value === "string" ? Buffer.byteLength(value) : value.length);

/**
 * What a publish would do, computed without writing: the keys and sizes in request order, and what
 * retention would delete after it.
 */
export async function planDryRun(artifacts: Artifacts, options: DryRunOptions): Promise<DryRun> {
  const version = artifacts.manifest.version;
  const entries = await versionEntries(artifacts);
  const [manifest, pointer] = entries.splice(-2);
  const writes: DryRun["writes"] = [];
  let request = 0;
  const blobRequests = options.bulk ? planBulkWrites(entries).map((plan) => plan.entries) : entries.map((e) => [e]);
  for (const batch of blobRequests) {
    request++;
    for (const [key, value] of batch) writes.push({ key, bytes: size(value), request });
  }
  for (const last of [manifest, pointer]) {
    if (last !== undefined) writes.push({ key: last[0], bytes: size(last[1]), request: ++request });
  }
  writes.push({ key: KvKeys.history, bytes: 0, request: ++request });

  const { keep, state } = options;
  let retention: DryRun["retention"];
  if ("unknown" in state) retention = { keep, unknown: state.unknown };
  else {
    const plan = planRetention(afterPublishing(state, version), keep);
    retention = {
      keep,
      deleted: plan.deleted.map((d) => d.version),
      deletedKeys: plan.deleted.reduce((n, d) => n + d.keys.length, 0),
    };
  }
  return { version, target: options.target, writes, requests: request, retention };
}
