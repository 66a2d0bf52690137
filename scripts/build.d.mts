export function buildWidget(options?: { quiet?: boolean }): Promise<{ bytes: number; gzip: number }>;
