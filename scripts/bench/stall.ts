// The event loop's longest stall while something runs: a 1 ms timer ticks alongside, and the longest gap
// between two ticks (or between the last tick and the end) is how long the loop could not serve anyone else
// — another group's answer, a webhook, a send. A fully synchronous job stalls the loop for its whole length.

/**
 * Starts measuring; the returned function stops and gives the longest stall seen, in milliseconds.
 * `beat` is called every `beatMs` of free loop with the longest stall so far: a parent watching the beats
 * knows the loop is stuck when they stop.
 */
export function measureStalls(beat?: (longestMs: number) => void, beatMs = 100): () => number {
  let last = performance.now();
  let lastBeat = last;
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (beat && now - lastBeat >= beatMs) {
      lastBeat = now;
      beat(longest);
    }
  }, 1);
  return () => {
    clearInterval(timer);
    return Math.max(longest, performance.now() - last);
  };
}
