import type { MentionCandidate } from '$contracts/schemas/chatter';
import { errorMessage } from '$lib/api';
import { mentionQueryAt } from './text';

const DEBOUNCE_MS = 150;

/** The composer's @-autocomplete: the candidates for the `@query` before the caret, and picking one. */
export class MentionSearch {
  open = $state(false);
  options: MentionCandidate[] = $state([]);
  active = $state(0);
  error = $state('');
  // The `@query` being completed: from the `@` to the caret.
  #start = 0;
  #end = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;

  constructor(readonly search: (q: string) => Promise<MentionCandidate[]>) {}

  /** After every edit or caret move: looks the `@query` up, or closes when there is none. */
  update(text: string, caret: number): void {
    const at = mentionQueryAt(text, caret);
    if (!at) return this.close();
    this.#start = at.start;
    this.#end = caret;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(at.query), DEBOUNCE_MS);
  }

  async #run(q: string): Promise<void> {
    const seq = ++this.#seq;
    try {
      const found = await this.search(q);
      if (seq !== this.#seq) return;
      this.options = found;
      this.error = '';
    } catch (err) {
      if (seq !== this.#seq) return;
      this.options = [];
      this.error = errorMessage(err);
    }
    this.active = 0;
    // Nobody matching closes the list: the `@` was likely just text.
    this.open = this.options.length > 0 || this.error !== '';
  }

  move(delta: 1 | -1): void {
    const n = this.options.length;
    if (n) this.active = (this.active + delta + n) % n;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#seq++;
    this.open = false;
    this.options = [];
    this.error = '';
  }

  /** The text with the `@query` replaced by `@<name> `, and where the caret goes after it. */
  complete(text: string, who: MentionCandidate): { text: string; caret: number } {
    const token = `@${who.name} `;
    this.close();
    return { text: text.slice(0, this.#start) + token + text.slice(this.#end), caret: this.#start + token.length };
  }
}
