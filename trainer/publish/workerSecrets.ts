import { unstable_readConfig } from "wrangler";
import type { RemoteKvSettings } from "./remoteKvSettings.js";

/**
 * The secrets a deployed worker needs before it takes experiment events: without them it fails closed
 * (worker/tokens/tokenKeys.ts: no event token, POST /v1/events 503, /healthz degraded).
 */
export const REQUIRED_SECRETS = ["EVENT_TOKEN_KEY", "UNIT_HASH_SALT"] as const;

/** The secret names set on the worker, or why they could not be read. */
export type SecretsCheck = { missing: string[] } | { unknown: string };

/** The worker's name as `wrangler deploy` names it (the wrangler config's `name`). */
export function workerName(configPath: string): string | null {
  try {
    return unstable_readConfig({ config: configPath }, { hideWarnings: true }).name ?? null;
  } catch {
    return null;
  }
}

/**
 * Which of REQUIRED_SECRETS the deployed worker lacks, from the Workers API's list of its secrets
 * (names only; values are never readable). A token without Workers Scripts: Read, or a worker not
 * deployed yet, gives the reason instead: publishing goes on either way.
 */
export async function checkWorkerSecrets(
  settings: Pick<RemoteKvSettings, "apiToken" | "accountId" | "baseUrl">,
  script: string,
  fetchImpl: typeof fetch = fetch,
): Promise<SecretsCheck> {
  const url = `${settings.baseUrl}/accounts/${encodeURIComponent(settings.accountId)}/workers/scripts/${encodeURIComponent(script)}/secrets`;
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { Authorization: `Bearer ${settings.apiToken}` } });
  } catch (error) {
    return { unknown: error instanceof Error ? error.message : String(error) };
  }
  const body: unknown = await response.json().catch(() => null);
  const result = typeof body === "object" && body !== null && "result" in body ? body.result : null;
  if (!response.ok || !Array.isArray(result)) return { unknown: `the Workers API answered ${response.status}` };
  const names = new Set(
    result.flatMap((s: unknown) =>
      typeof s === "object" && s !== null && "name" in s && typeof s.name === "string" ? [s.name] : [],
    ),
  );
  return { missing: REQUIRED_SECRETS.filter((name) => !names.has(name)) };
}

/** The line publish prints about the check, or null when every secret is set. */
export function secretsWarning(script: string, check: SecretsCheck): string | null {
  if ("unknown" in check)
    return `warning: could not check worker ${script}'s secrets (${check.unknown}); without ${REQUIRED_SECRETS.join(" and ")} it takes no experiment events`;
  if (check.missing.length === 0) return null;
  return (
    `warning: worker ${script} lacks the secret${check.missing.length > 1 ? "s" : ""} ${check.missing.join(" and ")}: ` +
    `it serves answers but takes no experiment events (503) until \`wrangler secret put\` sets ${check.missing.length > 1 ? "them" : "it"}`
  );
}
