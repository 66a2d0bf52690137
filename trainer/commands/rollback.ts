import { defineCommand } from "citty";
import { rollback } from "../publish/history.js";
import { createReporter } from "../progress.js";
import { localKvArgs, remoteKvArgs } from "./args.js";
import { openKv } from "./publish.js";

export const rollbackCommand = defineCommand({
  meta: { name: "rollback", description: "Move the live pointer back to the previous (or a named) version" },
  args: {
    to: { type: "string", description: "the version to make live (default: the one before the live one)" },
    local: { type: "boolean", description: "the local KV store that `wrangler dev` reads", default: false },
    ...remoteKvArgs,
    ...localKvArgs,
  },
  async run({ args }) {
    const reporter = createReporter();
    const kv = await openKv(args, reporter);
    try {
      const pointer = await rollback(kv, args.to);
      reporter.info(`live version is now ${pointer.version}`);
    } finally {
      await kv.close();
    }
  },
});
