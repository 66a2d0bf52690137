import { UserError } from "../errors.js";

/** Parses a numeric flag, or says in one line which flag is wrong and what it takes. */
export function numberArg(name: string, text: string, range: { min: number; max: number; integer?: boolean }): number {
  const value = Number(text);
  const ok =
    text.trim() !== "" &&
    Number.isFinite(value) &&
    value >= range.min &&
    value <= range.max &&
    (!range.integer || Number.isInteger(value));
  if (!ok) {
    throw new UserError(
      `--${name} "${text}" must be ${range.integer ? "a whole number" : "a number"} from ${range.min} to ${range.max}`,
    );
  }
  return value;
}

/** Flags shared by commands that read or write the local KV store. */
export const localKvArgs = {
  config: { type: "string", description: "wrangler config whose KV binding to use", default: "wrangler.toml" },
  binding: { type: "string", description: "KV binding name", default: "MODELS" },
  "persist-to": { type: "string", description: "wrangler dev's --persist-to folder", default: ".wrangler/state" },
} as const;

/** Flags of commands that can write the Cloudflare account's KV namespace through the API. */
export const remoteKvArgs = {
  remote: {
    type: "boolean",
    description: "the account's KV namespace through the Cloudflare API (CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID)",
    default: false,
  },
  "namespace-id": {
    type: "string",
    description: "with --remote: KV namespace id (default: --binding's id in --config)",
  },
} as const;

/** Which KV store the flags name: exactly one of --local and --remote. */
export function kvTarget(args: { local: boolean; remote: boolean }): "local" | "remote" {
  if (args.local === args.remote) throw new UserError("pass exactly one of --local and --remote");
  return args.local ? "local" : "remote";
}
