/** One valid storefront event (an impression of 22423 next to 85123A); tests override what they vary. */
export const sampleEvent = (overrides: Record<string, unknown> = {}) => ({
  type: "impression",
  sku: "22423",
  anchor: "85123A",
  surface: "also-bought",
  experiment: "none",
  variant: "none",
  unit: "u1",
  ...overrides,
});
