// The console's colour theme: the system's (prefers-color-scheme) unless the user chose one in the bar,
// remembered in this browser. app.html sets it before the first paint from the same key; this keeps
// `<html data-theme>` following the choice and the system while the console runs.

export type Theme = 'light' | 'dark';

const KEY = 'commercecore.theme';
const query = () => window.matchMedia('(prefers-color-scheme: dark)');

function storedChoice(): Theme | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    // Storage may be unavailable (a private window's policy): the system's theme then.
    return null;
  }
}

function store(choice: Theme | null): void {
  try {
    if (choice) localStorage.setItem(KEY, choice);
    else localStorage.removeItem(KEY);
  } catch {
    // Not remembered; it still applies until the page is left.
  }
}

class ThemeState {
  /** The user's choice, or null to follow the system. */
  choice: Theme | null = $state(storedChoice());
  system: Theme = $state(typeof window !== 'undefined' && query().matches ? 'dark' : 'light');
  readonly current: Theme = $derived(this.choice ?? this.system);

  /** The other theme; a choice that matches the system's is forgotten, so the console follows the system again. */
  toggle(): void {
    const next: Theme = this.current === 'dark' ? 'light' : 'dark';
    this.choice = next === this.system ? null : next;
    store(this.choice);
  }
}

export const theme = new ThemeState();

/** Keeps `<html data-theme>` on the current theme and follows the system's changes; call in the root layout. */
export function followTheme(): void {
  $effect(() => {
    const mq = query();
    const onChange = () => (theme.system = mq.matches ? 'dark' : 'light');
    // A choice made in another tab of the console applies here too.
    const onStorage = (e: StorageEvent) => {
      if (e.key === KEY || e.key === null) theme.choice = storedChoice();
    };
    onChange();
    mq.addEventListener('change', onChange);
    window.addEventListener('storage', onStorage);
    return () => {
      mq.removeEventListener('change', onChange);
      window.removeEventListener('storage', onStorage);
    };
  });
  $effect(() => {
    document.documentElement.dataset.theme = theme.current;
  });
}
