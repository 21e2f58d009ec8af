import { describe, expect, it } from 'vitest';
import { ReferenceSet } from '../../server/modules/imports/reference-set';

describe('the references an import met', () => {
  it('knows exactly the ones added, through its growth (accents, emoji, prefixes of each other)', () => {
    const set = new ReferenceSet();
    const refs = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? `#${i}` : i % 3 === 1 ? `Commande-é-${i}` : `🍮${i}`));
    for (const r of refs.slice(0, 10_000)) set.add(r);
    for (const r of refs.slice(0, 10_000)) set.add(r);
    expect(set.size).toBe(10_000);
    expect(refs.slice(0, 10_000).every((r) => set.has(r))).toBe(true);
    expect(refs.slice(10_000).some((r) => set.has(r))).toBe(false);
    // A prefix or an extension of a reference is another reference.
    expect(set.has('#99')).toBe(true);
    expect(set.has('#9')).toBe(true);
    expect(set.has('#999999')).toBe(false);
    expect(set.has('#1 ')).toBe(false);
    expect(set.has('')).toBe(false);
  });
});
