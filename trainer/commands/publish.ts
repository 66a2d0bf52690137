import { basename } from "node:path";
import { defineCommand } from "citty";
import { readArtifacts } from "../artifacts.js";
import { planDryRun } from "../publish/dryRun.js";
import { dryRunText } from "../publish/dryRunText.js";
import { publishAndPrune, publishedLine } from "../publish/publishAndPrune.js";
import { readRefusal } from "../publish/refusedMarker.js";
import { readRetentionState } from "../publish/retention.js";
import { newestPublishable } from "../publish/versionFolders.js";
import { createReporter, type Reporter } from "../progress.js";
import { remoteKvSettings } from "../publish/remoteKvSettings.js";
import { checkWorkerSecrets, secretsWarning, workerName } from "../publish/workerSecrets.js";
import { kvTarget, localKvArgs, numberArg, remoteKvArgs } from "./args.js";
import { kvDescription, withKv } from "./openKv.js";

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
    const remote = kvTarget(args) === "remote";
    const keep = numberArg("keep", args.keep, { min: 1, max: 1000, integer: true });
    const reporter = createReporter({ quiet: args.json });
    const artifacts = await readArtifacts(await folderToPublish(args.from));
    if (args["dry-run"]) {
      // Retention needs the namespace read; remote needs the token for that, and nothing else does.
      const state =
        remote && !(process.env.CLOUDFLARE_API_TOKEN?.trim() && process.env.CLOUDFLARE_ACCOUNT_ID?.trim())
          ? { unknown: "needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID to read the namespace" }
          : await withKv(args, reporter, readRetentionState);
      const plan = await planDryRun(artifacts, { target: kvDescription(args), bulk: remote, keep, state });
      process.stdout.write(args.json ? `${JSON.stringify(plan)}\n` : dryRunText(plan));
      return;
    }
    const published = await withKv(args, reporter, (kv) => publishAndPrune(kv, artifacts, { keep }));
    if (remote) await warnOfMissingSecrets(args, reporter);
    if (args.json) {
      const { version, publishedAt } = published.pointer;
      process.stdout.write(`${JSON.stringify({ version, publishedAt })}\n`);
    } else reporter.info(publishedLine(published, keep, kvDescription(args)));
  },
});

/**
 * After a remote publish: says so when the deployed worker lacks the secrets it needs to take
 * experiment events (a warning on stderr, never a failure: the model is published and served).
 */
async function warnOfMissingSecrets(
  args: { config: string; binding: string; "namespace-id"?: string },
  reporter: Reporter,
) {
  const script = workerName(args.config);
  if (script === null) return;
  const settings = remoteKvSettings(process.env, {
    configPath: args.config,
    binding: args.binding,
    namespaceId: args["namespace-id"],
  });
  const warning = secretsWarning(script, await checkWorkerSecrets(settings, script));
  if (warning !== null) reporter.info(warning);
}
