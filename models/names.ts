import { z } from "zod";

/**
 * A published model version's name, as the manifest, the pointer and a config's pinned variant carry
 * it: one rule, so a config can never pin a name no manifest can hold. Safe in a KV key and a header.
 */
export const VERSION_NAME_MAX = 80;
export const versionName = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9._-]{1,${VERSION_NAME_MAX}}$`),
    `must be a model version name: 1–${VERSION_NAME_MAX} characters of A-Z, a-z, 0-9, '.', '_' or '-'`,
  );

/**
 * An experiment's or a variant's name, in the config document and in the events that report on it:
 * short, lower case, safe in a header and a D1 column.
 */
export const experimentName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,39}$/,
    "must be 1–40 characters of a-z, 0-9, '-' or '_', starting with a letter or digit",
  );
