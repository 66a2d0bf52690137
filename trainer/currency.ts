import { closest } from "./editDistance.js";
import { UserError } from "./errors.js";

/** The ISO 4217 codes this runtime knows (Intl's list: current currencies, not "GPB" or "XXX"). */
const KNOWN = new Set(Intl.supportedValuesOf("currency"));

/**
 * The --currency value, refused unless it is a known ISO 4217 code: Intl formats any three capitals
 * ("GPB 2.95"), so a typo would train a shop priced in a currency that does not exist.
 */
export function currencyCode(text: string): string {
  if (KNOWN.has(text)) return text;
  const upper = text.toUpperCase();
  const suggestion = KNOWN.has(upper) ? upper : closest(upper, [...KNOWN]);
  const hint = suggestion === undefined ? "an ISO 4217 code like GBP, EUR or USD" : `did you mean ${suggestion}?`;
  throw new UserError(`--currency "${text}" is not a known ISO 4217 currency code (${hint})`);
}

/** Digits after the decimal point of an ISO 4217 currency (GBP 2, JPY 0), from Intl. */
export function currencyExponent(currency: string): number {
  const code = currencyCode(currency);
  return (
    new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2
  );
}
