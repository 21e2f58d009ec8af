/**
 * The current time, moving on every `ms` while the calling component lives: relative times
 * ("5 minutes ago") move on by themselves. Call it during component initialisation.
 */
export function ticking(ms = 30_000): { readonly now: number } {
  let now = $state(Date.now());
  $effect(() => {
    const timer = setInterval(() => (now = Date.now()), ms);
    return () => clearInterval(timer);
  });
  return {
    get now() {
      return now;
    },
  };
}
