// The console's single-key shortcuts (`/`, j, k, x) act only when no field is taking the keys.

/** Whether a key pressed here is typing: a text field, a select, an editable region. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

/** A key pressed alone (no Ctrl, Cmd or Alt), outside any field, and not already handled. */
export function isPlainKey(e: KeyboardEvent): boolean {
  return !e.ctrlKey && !e.metaKey && !e.altKey && !e.defaultPrevented && !isTyping(e.target);
}

/** The page's search box (the board's, a list's): the first visible search field in the main content. */
export function pageSearchBox(): HTMLInputElement | null {
  const boxes = document.querySelectorAll<HTMLInputElement>('main input[type="search"]');
  return [...boxes].find((b) => b.offsetParent !== null && !b.disabled) ?? null;
}
