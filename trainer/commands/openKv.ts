import type { KvStore } from "../publish/kvStore.js";
import { openLocalKv } from "../publish/localKv.js";
import { openRemoteKv, remoteKvSettings, resolveNamespaceId } from "../publish/remoteKvSettings.js";
import type { Reporter } from "../progress.js";
import { kvTarget } from "./args.js";

/** The flags (localKvArgs, remoteKvArgs and --local) of every command that reads or writes model KV. */
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

/** Opens the store the flags name, hands it to `use`, and closes it however `use` ends. */
export async function withKv<T>(args: KvFlags, reporter: Reporter, use: (kv: KvStore) => Promise<T>): Promise<T> {
  const kv = await openKv(args, reporter);
  try {
    return await use(kv);
  } finally {
    await kv.close();
  }
}

/** Where the flags point, for messages: the local folder and binding, or the remote namespace id. */
export function kvDescription(args: KvFlags): string {
  if (kvTarget(args) === "local") return `local KV (${args["persist-to"]}, binding ${args.binding})`;
  const id = resolveNamespaceId({ configPath: args.config, binding: args.binding, namespaceId: args["namespace-id"] });
  return `KV namespace ${id} (remote)`;
}
