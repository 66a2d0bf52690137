import { defineCommand } from "citty";
import { rollback } from "../publish/history.js";
import { createReporter } from "../progress.js";
import { localKvArgs, remoteKvArgs } from "./args.js";
import { withKv } from "./openKv.js";

export const rollbackCommand = defineCommand({
  meta: {
    name: "rollback",
    description: "Move the live pointer back to the version that was live before (or a named one)",
  },
  args: {
    to: {
      type: "string",
      description: "the version to make live (default: the one live before this one, never one rolled back from)",
    },
    local: { type: "boolean", description: "the local KV store that `wrangler dev` reads", default: false },
    ...remoteKvArgs,
    ...localKvArgs,
  },
  async run({ args }) {
    const reporter = createReporter();
    const moved = await withKv(args, reporter, (kv) => rollback(kv, args.to));
    if (moved.warning !== null) process.stderr.write(`warning: ${moved.warning}\n`);
    // The CLI only moves the pointer: whether the worker loads that version, only it can say.
    reporter.info(
      `pointer now at ${moved.version} (was ${moved.from ?? "nothing"}); workers switch on their next pointer check unless it fails to load: check /healthz (model.version, model.lastError)`,
    );
  },
});
