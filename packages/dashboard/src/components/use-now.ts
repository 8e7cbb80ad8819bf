import { useEffect, useState } from 'preact/hooks';

/** The current time (epoch ms), re-rendering every `everyMs`: lease countdowns and ages. */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
