import { unstable_readConfig } from "wrangler";
import { UserError } from "../errors.js";
import { CLOUDFLARE_API, CloudflareKv } from "./cloudflareKv.js";

const NAMESPACE_ID = /^[0-9a-f]{32}$/i;

/**
 * The namespace id to write: the flag, else the `id` of the KV binding in the wrangler config (read
 * with wrangler's own reader, so it is the namespace `wrangler deploy` binds).
 */
export function resolveNamespaceId(options: { configPath: string; binding: string; namespaceId?: string }): string {
  if (options.namespaceId !== undefined) {
    if (!NAMESPACE_ID.test(options.namespaceId)) {
      throw new UserError(`--namespace-id "${options.namespaceId}" is not a KV namespace id (32 hex digits)`);
    }
    return options.namespaceId;
  }
  let namespaces: { binding: string; id?: string }[];
  try {
    namespaces = unstable_readConfig({ config: options.configPath }, { hideWarnings: true }).kv_namespaces;
  } catch (error) {
    throw new UserError(
      `${options.configPath}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
  const bound = namespaces.find((n) => n.binding === options.binding);
  if (bound === undefined) {
    throw new UserError(`${options.configPath}: no KV namespace bound as ${options.binding}; pass --namespace-id`);
  }
  // The repository's wrangler.toml carries a local name there (wrangler dev accepts any); the API does not.
  if (bound.id === undefined || !NAMESPACE_ID.test(bound.id)) {
    throw new UserError(
      `${options.configPath}: the id of KV binding ${options.binding} ("${bound.id ?? ""}") is a local name, not a Cloudflare namespace id (32 hex digits); set the real id there or pass --namespace-id`,
    );
  }
  return bound.id;
}

export interface RemoteKvSettings {
  apiToken: string;
  accountId: string;
  namespaceId: string;
  baseUrl: string;
}

/** Token, account and base URL from the environment (the variables wrangler itself reads). */
export function remoteKvSettings(
  env: NodeJS.ProcessEnv,
  options: { configPath: string; binding: string; namespaceId?: string },
): RemoteKvSettings {
  const missing = ["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"].filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new UserError(
      `--remote needs ${missing.join(" and ")} in the environment (an API token that may edit Workers KV, and its account id)`,
    );
  }
  return {
    apiToken: env.CLOUDFLARE_API_TOKEN?.trim() ?? "",
    accountId: env.CLOUDFLARE_ACCOUNT_ID?.trim() ?? "",
    namespaceId: resolveNamespaceId(options),
    baseUrl: env.CLOUDFLARE_API_BASE_URL?.trim() || CLOUDFLARE_API,
  };
}

/** The remote namespace as a KvStore, logging retries through `log` (they are slow and worth seeing). */
export function openRemoteKv(settings: RemoteKvSettings, log?: (message: string) => void): CloudflareKv {
  return new CloudflareKv({
    ...settings,
    onRetry: ({ method, path, attempt, delayMs, reason }) =>
      log?.(`Cloudflare API ${method} ${path}: ${reason}; try ${attempt + 1} in ${(delayMs / 1000).toFixed(1)} s`),
  });
}
