import { basename } from "node:path";
import { defineCommand } from "citty";
import { KvKeys } from "../../models/contract.js";
import { readArtifacts, type Artifacts } from "../artifacts.js";
import { planBulkWrites } from "../publish/kvBulkWrites.js";
import { openRemoteKv, remoteKvSettings, resolveNamespaceId } from "../publish/remoteKvSettings.js";
import type { KvStore } from "../publish/kvStore.js";
import { openLocalKv } from "../publish/localKv.js";
import { publishVersion, versionEntries } from "../publish/publishVersion.js";
import { readRefusal } from "../publish/refusedMarker.js";
import { afterPublishing, applyRetention, planRetention, readRetentionState } from "../publish/retention.js";
import { newestPublishable } from "../publish/versionFolders.js";
import { createReporter, type Reporter } from "../progress.js";
import { kvTarget, localKvArgs, numberArg, remoteKvArgs } from "./args.js";

export interface KvFlags {
  local: boolean;
  remote: boolean;
  config: string;
  binding: string;
  "persist-to": string;
  "namespace-id"?: string;
}

/** The store the flags name, opened; remote retries are logged through the reporter. */
export async function openKv(args: KvFlags, reporter: Reporter): Promise<KvStore> {
  if (kvTarget(args) === "local") {
    return openLocalKv({ configPath: args.config, binding: args.binding, persistTo: args["persist-to"] });
  }
  const settings = remoteKvSettings(process.env, {
    configPath: args.config,
    binding: args.binding,
    namespaceId: args["namespace-id"],
  });
  return openRemoteKv(settings, (message) => reporter.info(message));
}

export interface DryRun {
  version: string;
  target: string;
  writes: { key: string; bytes: number; request: number }[];
  /** Write requests in all (bulk requests for the blobs, then the manifest, the pointer, the history). */
  requests: number;
  retention: { keep: number; deleted: string[]; deletedKeys: number } | { keep: number; unknown: string };
}

/**
 * The folder to publish: --from as named (with a warning when the nightly gate refused it), else the
 * newest version under models/out the gate did not refuse. Warnings go to stderr even with --json.
 */
async function folderToPublish(from: string | undefined): Promise<string> {
  if (from !== undefined) {
    const refusal = await readRefusal(from);
    if (refusal !== null) {
      process.stderr.write(
        `warning: ${basename(from)} was refused by the nightly quality gate (${refusal.reason}); publishing it because --from names it\n`,
      );
    }
    return from;
  }
  const { dir, skipped } = await newestPublishable("models/out");
  for (const folder of skipped) {
    process.stderr.write(
      `skipped ${folder.version}: refused by the nightly quality gate (${folder.refusal?.reason ?? "see its folder"}); --from ${folder.dir} publishes it anyway\n`,
    );
  }
  return dir;
}

/**
 * What a publish would do, computed without writing: the keys and sizes in request order, and what
 * retention would delete if the store can be read (remote needs the token for that, and nothing else).
 */
async function dryRun(args: KvFlags, artifacts: Artifacts, keep: number, reporter: Reporter): Promise<DryRun> {
  const remote = kvTarget(args) === "remote";
  const version = artifacts.manifest.version;
  const entries = versionEntries(artifacts);
  const [manifest, pointer] = entries.splice(-2);
  const size = (value: Uint8Array | string) => (typeof value === "string" ? Buffer.byteLength(value) : value.length);
  const writes: DryRun["writes"] = [];
  let request = 0;
  // Local writes go one value per call; the REST API takes them in bulk requests under its limits.
  const blobRequests = remote ? planBulkWrites(entries).map((plan) => plan.entries) : entries.map((entry) => [entry]);
  for (const batch of blobRequests) {
    request++;
    for (const [key, value] of batch) writes.push({ key, bytes: size(value), request });
  }
  for (const last of [manifest, pointer]) {
    if (last !== undefined) writes.push({ key: last[0], bytes: size(last[1]), request: ++request });
  }
  writes.push({ key: KvKeys.history, bytes: 0, request: ++request });

  const namespaceId = remote
    ? resolveNamespaceId({ configPath: args.config, binding: args.binding, namespaceId: args["namespace-id"] })
    : null;
  const target = namespaceId
    ? `KV namespace ${namespaceId} (remote)`
    : `local KV (${args["persist-to"]}, binding ${args.binding})`;
  let retention: DryRun["retention"];
  if (remote && !(process.env.CLOUDFLARE_API_TOKEN?.trim() && process.env.CLOUDFLARE_ACCOUNT_ID?.trim())) {
    retention = { keep, unknown: "needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID to read the namespace" };
  } else {
    const kv = await openKv(args, reporter);
    try {
      const plan = planRetention(afterPublishing(await readRetentionState(kv), version), keep);
      retention = {
        keep,
        deleted: plan.deleted.map((d) => d.version),
        deletedKeys: plan.deleted.reduce((n, d) => n + d.keys.length, 0),
      };
    } finally {
      await kv.close();
    }
  }
  return { version, target, writes, requests: request, retention };
}

function printDryRun(plan: DryRun): void {
  const lines = [`dry run: would publish ${plan.version} to ${plan.target}`];
  const width = Math.max(...plan.writes.map((w) => w.key.length));
  for (const write of plan.writes) {
    const bytes = write.key === KvKeys.history ? "(updated)" : `${write.bytes.toLocaleString("en")} bytes`;
    lines.push(`  request ${String(write.request).padStart(3)}  ${write.key.padEnd(width)}  ${bytes}`);
  }
  const total = plan.writes.reduce((n, w) => n + w.bytes, 0);
  lines.push(
    `${plan.requests} write requests, ${total.toLocaleString("en")} bytes of values; the pointer after a read-back check of every blob`,
  );
  const r = plan.retention;
  lines.push(
    "unknown" in r
      ? `retention (--keep ${r.keep}): not computed (${r.unknown})`
      : r.deleted.length === 0
        ? `retention (--keep ${r.keep}): would delete nothing`
        : `retention (--keep ${r.keep}): would delete ${r.deleted.join(", ")} (${r.deletedKeys} keys)`,
  );
  lines.push("nothing was written");
  process.stdout.write(`${lines.join("\n")}\n`);
}

export const publishCommand = defineCommand({
  meta: { name: "publish", description: "Write a trained version into Workers KV (blobs first, pointer last)" },
  args: {
    local: { type: "boolean", description: "the local KV store that `wrangler dev` reads", default: false },
    ...remoteKvArgs,
    from: {
      type: "string",
      description: "version folder to publish (default: the newest under models/out the nightly gate did not refuse)",
    },
    ...localKvArgs,
    keep: {
      type: "string",
      description: "versions kept in KV after publishing (live and previous always)",
      default: "5",
    },
    "dry-run": {
      type: "boolean",
      description: "print the keys, sizes and requests it would write; write nothing",
      default: false,
    },
    json: { type: "boolean", description: "print the new pointer (or the dry run) as JSON on stdout", default: false },
  },
  async run({ args }) {
    const target = kvTarget(args);
    const keep = numberArg("keep", args.keep, { min: 1, max: 1000, integer: true });
    const reporter = createReporter({ quiet: args.json });
    const dir = await folderToPublish(args.from);
    const artifacts = await readArtifacts(dir);
    if (args["dry-run"]) {
      const plan = await dryRun(args, artifacts, keep, reporter);
      if (args.json) process.stdout.write(`${JSON.stringify(plan)}\n`);
      else printDryRun(plan);
      return;
    }
    const kv = await openKv(args, reporter);
    try {
      const pointer = await publishVersion(kv, artifacts);
      const retention = await applyRetention(kv, keep);
      const deleted = retention.deleted.map((d) => d.version);
      if (args.json) process.stdout.write(`${JSON.stringify(pointer)}\n`);
      else {
        const where =
          target === "local" ? `local KV (${args["persist-to"]}, binding ${args.binding})` : "the remote KV namespace";
        reporter.info(
          `published ${pointer.version} to ${where}; kept the newest ${keep} versions${deleted.length > 0 ? `, deleted ${deleted.join(", ")}` : ""}`,
        );
      }
    } finally {
      await kv.close();
    }
  },
});
