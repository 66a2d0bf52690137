export function isSidecartHealth(origin: string): Promise<boolean>;
export function bestSeller(origin: string): Promise<string | undefined>;
