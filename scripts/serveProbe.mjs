// What `npm run serve` asks the worker it started: is it sidecart, and which product sells best.

const STATES = new Set(["ok", "degraded", "no_model"]);

/**
 * True when origin answers /healthz with sidecart's own shape: any server answers a status below 500,
 * so that alone would call another program on the port "sidecart".
 */
export async function isSidecartHealth(origin) {
  try {
    const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5_000) });
    if (!(response.headers.get("content-type") ?? "").startsWith("application/json")) return false;
    const body = await response.json();
    return (
      typeof body === "object" &&
      body !== null &&
      STATES.has(body.status) &&
      typeof body.model === "object" &&
      body.model !== null &&
      STATES.has(body.model.state) &&
      typeof body.config === "object"
    );
  } catch {
    return false;
  }
}

/** The served model's most bought product (search with no words lists best sellers first), if any. */
export async function bestSeller(origin) {
  try {
    const response = await fetch(`${origin}/v1/catalog/search?limit=1`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) return undefined;
    const body = await response.json();
    const sku = body?.items?.[0]?.sku;
    return typeof sku === "string" ? sku : undefined;
  } catch {
    return undefined;
  }
}
