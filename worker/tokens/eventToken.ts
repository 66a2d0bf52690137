import type { Surface } from "../../models/config/configDocument.js";
import type { ExperimentLabel } from "../../models/experiments/assign.js";

/*
 * An answer's event token: the worker's word that it answered this unit on this surface for this anchor,
 * under these experiment arms and this model, in this hour. POST /v1/events takes an event only with a
 * token whose claims match it, so an event can no longer be made up from nothing.
 *
 * Form: base64url(claims) "." base64url(first 12 bytes of HMAC-SHA-256). The claims the event itself
 * carries (unit, surface, anchor SKU) are not repeated in the token; the ones it does not (hour of issue,
 * model version, the arms, a cart's digest, the SKUs the answer showed) are, so checking needs no state
 * and survives a model publish. The shown SKUs travel as 48-bit SHA-256 tags (8 characters each): an
 * event about any other SKU is refused (sku_not_shown), and the MAC keeps a tag from being added.
 */

/** Tokens name the hour they were issued in: the same unit, answer and hour give the same token. */
export const TOKEN_BUCKET_MS = 3_600_000;
/** 96 bits: beyond guessing for the life of a token, and 16 characters. */
const MAC_BYTES = 12;
const FORMAT = "2";
/** Bytes of a shown SKU's tag: finding another SKU with one of an answer's tags takes ~2^47 hashes. */
const TAG_BYTES = 6;
const SEPARATOR = "\u001f";

export interface TokenClaims {
  unit: string;
  surface: Surface;
  /** The anchor SKU on item surfaces; a cart's line digest (cartDigest) on the cart. */
  anchor: string;
  model: string;
  labels: readonly ExperimentLabel[];
  /** floor(issued at / TOKEN_BUCKET_MS). */
  bucket: number;
  /** The SKUs the answer showed (a cart's lines too): the only ones its events may name. */
  shown: readonly string[];
}

/** Sign with the current key; accept the current or the previous (rotation without losing live tokens). */
export interface TokenKeys {
  current: CryptoKey;
  previous: CryptoKey | undefined;
}

/** What an event says about the answer it came from. */
export interface EventClaims {
  sku: string;
  unit: string;
  surface: Surface;
  anchor?: string | undefined;
  experiment: string;
  variant: string;
}

export type TokenError = "token_invalid" | "token_expired" | "token_arm_mismatch" | "sku_not_shown";
export type TokenCheck =
  | { ok: true; model: string; labels: ExperimentLabel[]; bucket: number }
  | { ok: false; code: TokenError; message: string };

/** The arm label events carry when the answer named no experiment. */
export const NO_EXPERIMENT = "none";

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** What a token's claims are signed as: the shown SKUs by their tags, as the token carries them. */
interface SignedClaims extends Omit<TokenClaims, "shown"> {
  tags: string;
}

/** Every claim, unambiguously: JSON of an array, so no field can run into the next. */
function signedText(claims: SignedClaims): string {
  const labels = claims.labels.map((l) => [l.id, l.variant]);
  return JSON.stringify([
    FORMAT,
    claims.unit,
    claims.surface,
    claims.anchor,
    claims.model,
    labels,
    claims.bucket,
    claims.tags,
  ]);
}

async function mac(key: CryptoKey, claims: SignedClaims): Promise<Uint8Array> {
  const full = await crypto.subtle.sign("HMAC", key, encoder.encode(signedText(claims)));
  return new Uint8Array(full, 0, MAC_BYTES);
}

async function skuTag(sku: string): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(sku));
  return new Uint8Array(digest, 0, TAG_BYTES);
}

/** The shown SKUs' tags, distinct and sorted (the same answer gives the same token), back to back. */
async function shownTags(skus: readonly string[]): Promise<string> {
  const tags = (await Promise.all([...new Set(skus)].map(skuTag))).map(base64url).sort();
  return tags.join("");
}

/** The tag text's tags, each TAG_BYTES in 8 base64url characters. */
const TAG_CHARS = (TAG_BYTES / 3) * 4;

/** Constant time in the bytes compared: a timing side channel must not reveal a MAC byte by byte. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

export const bucketOf = (ms: number) => Math.floor(ms / TOKEN_BUCKET_MS);

/**
 * The period an answer's ETag names when the answer carries a token. A browser that revalidates gets a
 * 304 and keeps the body, token included, that it has; within one period that token is younger than
 * (ttl − 1 h) / 2 (its hour may have begun up to 1 h before it was issued), so it outlives the visit.
 * In the next period the ETag differs, and the browser gets a fresh body with a fresh token.
 */
export function tokenEpoch(now: number, ttlMs: number): string {
  const period = Math.max(ttlMs - TOKEN_BUCKET_MS, TOKEN_BUCKET_MS) / 2;
  return Math.floor(now / period).toString(36);
}

export async function signToken(keys: TokenKeys, claims: TokenClaims): Promise<string> {
  const labels = claims.labels.map((l) => `${l.id}=${l.variant}`).join(",");
  // A cart's digest rides in the token (the cart events name no anchor); an item's SKU is in the event.
  const cart = claims.surface === "cart" ? claims.anchor : "";
  const tags = await shownTags(claims.shown);
  const visible = [FORMAT, claims.bucket.toString(36), claims.model, labels, cart, tags].join(SEPARATOR);
  return `${base64url(encoder.encode(visible))}.${base64url(await mac(keys.current, { ...claims, tags }))}`;
}

function parseLabels(text: string): ExperimentLabel[] | null {
  if (text === "") return [];
  const labels: ExperimentLabel[] = [];
  for (const part of text.split(",")) {
    const [id, variant, extra] = part.split("=");
    if (id === undefined || variant === undefined || extra !== undefined || id === "" || variant === "") return null;
    labels.push({ id, variant });
  }
  return labels;
}

/**
 * Checks an event against its token: the MAC under either key, then age, then that the event claims
 * what the token vouches for. `now` and `ttlMs` come from the caller so tests can move the clock.
 */
export async function checkToken(
  keys: TokenKeys,
  token: string,
  event: EventClaims,
  now: number,
  ttlMs: number,
): Promise<TokenCheck> {
  const invalid = (message: string): TokenCheck => ({ ok: false, code: "token_invalid", message });
  const [visibleText, macText, extra] = token.split(".");
  if (visibleText === undefined || macText === undefined || extra !== undefined) return invalid("not a sidecart token");
  const visible = fromBase64url(visibleText);
  const given = fromBase64url(macText);
  if (visible === null || given === null || given.length !== MAC_BYTES) return invalid("not a sidecart token");
  const fields = new TextDecoder().decode(visible).split(SEPARATOR);
  const [format, bucketText, model, labelText, cart, tags] = fields;
  if (format !== FORMAT) return invalid("not a sidecart token of this worker's format (ask for a new answer)");
  const bucket = bucketText === undefined ? NaN : parseInt(bucketText, 36);
  const labels = labelText === undefined ? null : parseLabels(labelText);
  if (
    fields.length !== 6 ||
    !Number.isSafeInteger(bucket) ||
    model === undefined ||
    !labels ||
    tags === undefined ||
    tags.length % TAG_CHARS !== 0
  ) {
    return invalid("not a sidecart token");
  }
  // The item surfaces vouch for the SKU the event names; the cart for the lines the answer was for.
  const anchor = event.surface === "cart" ? (cart ?? "") : (event.anchor ?? "");
  const claims: SignedClaims = { unit: event.unit, surface: event.surface, anchor, model, labels, bucket, tags };
  let signed = sameBytes(await mac(keys.current, claims), given);
  if (!signed && keys.previous) signed = sameBytes(await mac(keys.previous, claims), given);
  // A wrong unit, surface or anchor changes the signed text, so it shows as a bad MAC like a forged one:
  // telling "right token, wrong unit" apart would need the unit in the token.
  if (!signed) return invalid("not issued by this worker for this unit, surface and anchor");
  const issued = bucket * TOKEN_BUCKET_MS;
  if (issued > now + TOKEN_BUCKET_MS) return invalid("issued in the future");
  if (now >= issued + ttlMs) {
    return {
      ok: false,
      code: "token_expired",
      message: `issued ${new Date(issued).toISOString()}; tokens last ${ttlMs / 3_600_000} h`,
    };
  }
  const armed =
    labels.length === 0
      ? event.experiment === NO_EXPERIMENT && event.variant === NO_EXPERIMENT
      : labels.some((l) => l.id === event.experiment && l.variant === event.variant);
  if (!armed) {
    const named =
      labels.length === 0 ? `${NO_EXPERIMENT}=${NO_EXPERIMENT}` : labels.map((l) => `${l.id}=${l.variant}`).join(", ");
    return {
      ok: false,
      code: "token_arm_mismatch",
      message: `the event names ${event.experiment}=${event.variant}; its answer was served under ${named}`,
    };
  }
  const tag = base64url(await skuTag(event.sku));
  let shown = false;
  for (let at = 0; at < tags.length && !shown; at += TAG_CHARS) shown = tags.slice(at, at + TAG_CHARS) === tag;
  if (!shown) {
    return { ok: false, code: "sku_not_shown", message: `${event.sku} was not in the answer the token is for` };
  }
  return { ok: true, model, labels, bucket };
}

/** The cart's anchor: its distinct SKUs, sorted, hashed (order and quantities do not make another cart). */
export async function cartDigest(skus: readonly string[]): Promise<string> {
  const text = JSON.stringify([...new Set(skus)].sort());
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return base64url(new Uint8Array(digest, 0, 9));
}
