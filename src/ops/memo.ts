/**
 * A bounded memo for pure functions of short strings that run on every request (the session
 * cookie's HMAC check, the session id's log hash): a browser sends the same cookie with each of its
 * requests, so the answer is usually known. The oldest entry goes first when the memo is full; an
 * undefined answer is never kept, so junk keys cannot fill the memo with refusals.
 */
export function boundedMemo<T>(compute: (key: string) => T, capacity: number): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    const hit = known.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    if (value === undefined) return value; // not remembered: a refusal is cheap to find again
    if (known.size >= capacity) known.delete(known.keys().next().value as string);
    known.set(key, value);
    return value;
  };
}
