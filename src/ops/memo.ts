/**
 * Bounded memory for pure work that runs on every request (the session cookie's HMAC check, the
 * session id's log hash, the live-session index's last write): a browser sends the same cookie
 * with each of its requests, so the answer is usually known. The entry set longest ago goes first
 * when the map is full.
 */
export class BoundedMap<V> {
  private readonly entries = new Map<string, V>();
  private readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key); // re-inserted last: the map's order is the order of setting
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, value);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}

/**
 * A bounded memo of a pure function of short strings. An undefined answer is never kept, so junk
 * keys cannot fill the memo with refusals.
 */
export function boundedMemo<T>(compute: (key: string) => T, capacity: number): (key: string) => T {
  const known = new BoundedMap<T>(capacity);
  return (key) => {
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    if (value !== undefined) known.set(key, value);
    return value;
  };
}
