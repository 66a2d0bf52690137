// Local-only wrangler: no metrics, no Request.cf download from Cloudflare, never a login.
export const localEnv = {
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};
