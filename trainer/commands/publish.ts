import { defineCommand } from "citty";
import { latestVersionDir, readArtifacts } from "../artifacts.js";
import { UserError } from "../errors.js";
import { openLocalKv } from "../publish/localKv.js";
import { publishVersion } from "../publish/publishVersion.js";
import { createReporter } from "../progress.js";
import { localKvArgs } from "./args.js";

export const publishCommand = defineCommand({
  meta: { name: "publish", description: "Write a trained version into Workers KV (blobs first, pointer last)" },
  args: {
    local: { type: "boolean", description: "the local KV store that `wrangler dev` reads", default: false },
    from: { type: "string", description: "version folder to publish (default: newest under models/out)" },
    ...localKvArgs,
    json: { type: "boolean", description: "print the new pointer as JSON on stdout", default: false },
  },
  async run({ args }) {
    if (!args.local) throw new UserError("only --local publishing exists so far; pass --local");
    const reporter = createReporter({ quiet: args.json });
    const dir = args.from ?? (await latestVersionDir("models/out"));
    const artifacts = await readArtifacts(dir);
    const kv = await openLocalKv({ configPath: args.config, binding: args.binding, persistTo: args["persist-to"] });
    try {
      const pointer = await publishVersion(kv, artifacts);
      if (args.json) process.stdout.write(`${JSON.stringify(pointer)}\n`);
      else reporter.info(`published ${pointer.version} to local KV (${args["persist-to"]}, binding ${args.binding})`);
    } finally {
      await kv.close();
    }
  },
});
