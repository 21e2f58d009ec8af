import { onMount } from 'svelte';
import { page } from '$app/state';
import { replaceStateInApp, withParams } from './nav';

/**
 * Keeps what a screen shows (its filters, its tab) in the address, so a reload or a shared link shows
 * the same: `write` sets it on the address's parameters, again whenever what it reads changes. Call it
 * while a component initialises.
 */
export function keepInAddress(write: (params: URLSearchParams) => void): void {
  // The router takes a new address once the page is mounted.
  let mounted = false;
  onMount(() => {
    mounted = true;
  });
  $effect(() => {
    const url = withParams(page.url, write);
    if (mounted && url.search !== window.location.search) replaceStateInApp(url.pathname + url.search);
  });
}
