// The references of a file's orders met so far, exactly, in little memory: their UTF-8 bytes one after
// another in one buffer, found through a hash table of entry numbers. A Set of 100k references holds
// some 8 MB of strings and entries; this, about 2.

export class ReferenceSet {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  private count = 0;
  // Entry number + 1 in each slot; 0: empty. At most half full.
  private slots = new Int32Array(2048);

  get size(): number {
    return this.count;
  }

  has(reference: string): boolean {
    return this.slotOf(this.stage(reference)) < 0;
  }

  add(reference: string): void {
    const end = this.stage(reference);
    const slot = this.slotOf(end);
    if (slot < 0) return;
    if (this.count === this.starts.length) {
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
    }
    this.starts[this.count] = this.used;
    this.ends[this.count] = end;
    this.slots[slot] = ++this.count;
    this.used = end;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  /** The reference's bytes written after the last entry (not yet one); where they end. */
  private stage(reference: string): number {
    const need = this.used + Buffer.byteLength(reference, 'utf8');
    if (need > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    return this.used + this.bytes.write(reference, this.used, 'utf8');
  }

  /** The free slot for the staged bytes, or -1 when an entry holds the same bytes. */
  private slotOf(end: number): number {
    const start = this.used;
    const mask = this.slots.length - 1;
    for (let slot = hash(this.bytes, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return slot;
      const s = this.starts[entry - 1]!;
      const e = this.ends[entry - 1]!;
      if (e - s === end - start && this.bytes.compare(this.bytes, start, end, s, e) === 0) return -1;
    }
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = hash(this.bytes, this.starts[i]!, this.ends[i]!) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = i + 1;
    }
  }
}

const grown = (a: Int32Array) => {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
};

/** FNV-1a over bytes. */
function hash(bytes: Buffer, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
