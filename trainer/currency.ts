import { UserError } from "./errors.js";

/** Digits after the decimal point of an ISO 4217 currency (GBP 2, JPY 0), from Intl. */
export function currencyExponent(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency))
    throw new UserError(`--currency "${currency}" is not an ISO 4217 code like GBP or USD`);
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    throw new UserError(`--currency "${currency}" is not a known currency`);
  }
}
