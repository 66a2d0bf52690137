/**
 * Runs `work` over every item with at most `limit` in flight: enough to keep a store busy (local
 * KV's writes, a remote API's reads) without thousands of requests open at once. Rejects with the
 * first failure, after the ones already started have settled.
 */
export async function boundedParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const failed = lanes.find((lane): lane is PromiseRejectedResult => lane.status === "rejected");
  if (failed) throw failed.reason;
}
