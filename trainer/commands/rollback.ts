import { defineCommand } from "citty";
import { rollback } from "../publish/history.js";
import { openLocalKv } from "../publish/localKv.js";
import { createReporter } from "../progress.js";
import { UserError } from "../errors.js";
import { localKvArgs } from "./args.js";

export const rollbackCommand = defineCommand({
  meta: { name: "rollback", description: "Move the live pointer back to the previous (or a named) version" },
  args: {
    to: { type: "string", description: "the version to make live (default: the one before the live one)" },
    local: { type: "boolean", description: "the local KV store that `wrangler dev` reads", default: false },
    ...localKvArgs,
  },
  async run({ args }) {
    if (!args.local) throw new UserError("only --local exists so far; pass --local");
    const kv = await openLocalKv({ configPath: args.config, binding: args.binding, persistTo: args["persist-to"] });
    try {
      const pointer = await rollback(kv, args.to);
      createReporter().info(`live version is now ${pointer.version}`);
    } finally {
      await kv.close();
    }
  },
});
