import { untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';

/** One thing the command palette can run: a page's action (confirm this order, switch the board to kanban…). */
export type PaletteCommand = {
  /** Unique on the page (a test id and the option's key). */
  id: string;
  label: string;
  /** Other words it is found by ("kanban" finds "Switch to the kanban view"). */
  keywords?: string;
  /** The key that does the same on the page, shown beside it. */
  shortcut?: string;
  /** Why it cannot run now (shown, and the option is disabled); absent: it can. */
  disabled?: string;
  run: () => unknown;
};

// The actions of what is on screen, by the component that offers them. Each getter is read when the
// palette lists them, so they follow the page's state (an order's actions change with its state).
const registered = new SvelteMap<symbol, () => PaletteCommand[]>();

/** The current page's commands, in the order their components registered them. */
export function pageCommands(): PaletteCommand[] {
  return [...registered.values()].flatMap((commands) => commands());
}

/**
 * Offers a component's actions in the palette while it is mounted: call it during the component's
 * initialisation; `commands` is read each time the palette lists them (reuse the handlers the
 * component's own buttons run).
 */
export function usePageCommands(commands: () => PaletteCommand[]): void {
  $effect(() => {
    const key = Symbol('page commands');
    untrack(() => registered.set(key, commands));
    return () => untrack(() => registered.delete(key));
  });
}
