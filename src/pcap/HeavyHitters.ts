/**
 * Filtered Space-Saving heavy hitters (Space-Saving: Metwally, Agrawal, El Abbadi 2005; the filter:
 * Homem and Carvalho 2010) over fixed-width integer keys, in typed arrays of fixed size: memory does
 * not grow with the number of distinct keys. While fewer distinct keys than `capacity` arrive, every
 * count is exact. After that, an untracked key adds its weight to a hashed filter counter, which
 * bounds the true weight of every untracked key hashing there. Once that counter plus the weight
 * exceeds the smallest tracked count, the key takes that entry's place, starting at the counter plus
 * the weight with the counter as `error`; the evicted entry's count goes into its own filter counter.
 * So a listed count overstates the truth by at most its `error`, and an unlisted key weighs at most
 * the smallest tracked count. The filter keeps the many one-packet flows of a wide capture from
 * churning the table.
 */

export interface HeavyHittersOptions {
  capacity: number;
  /** Key width in 32-bit words. */
  keyWords: number;
  /** Per-entry counters the caller adds to (they count from the moment the key was admitted). */
  extraCounters?: number;
  /** Filter counters (rounded up to a power of two). Default 16 per entry. */
  filterSize?: number;
}

export interface HeavyHittersAccuracy {
  /** Every key was tracked from its first packet: every count is exact. */
  exact: boolean;
  capacity: number;
  /** Tracked keys replaced by heavier untracked ones. */
  evictions: number;
  /** A key not listed has a true weight of at most this (0 when exact). */
  unlistedAtMost: number;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class HeavyHitters {
  readonly capacity: number;
  readonly keyWords: number;
  readonly extraCounters: number;
  readonly keys: Uint32Array;
  /** The ranking weight, its overestimate bound, and a second count kept alongside. */
  readonly weight: Float64Array;
  readonly error: Float64Array;
  readonly secondary: Float64Array;
  readonly extra: Float64Array;
  size = 0;
  evictions = 0;
  /** Some weight went to untracked keys (the filter), so counts are no longer exact. */
  approximate = false;

  private readonly hashes: Uint32Array;
  private readonly index: Int32Array;
  private readonly mask: number;
  /** Min-heap of entries by weight, and each entry's position in it. */
  private readonly heap: Int32Array;
  private readonly heapPosition: Int32Array;
  private readonly filter: Float64Array;
  private readonly filterShift: number;

  constructor(options: HeavyHittersOptions) {
    const { capacity, keyWords, extraCounters = 0, filterSize = capacity * 16 } = options;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1 << 22) {
      throw new RangeError(`capacity must be an integer in 1..${1 << 22}, got ${capacity}`);
    }
    if (!Number.isInteger(keyWords) || keyWords < 1 || keyWords > 16) {
      throw new RangeError(`keyWords must be an integer in 1..16, got ${keyWords}`);
    }
    this.capacity = capacity;
    this.keyWords = keyWords;
    this.extraCounters = extraCounters;
    this.keys = new Uint32Array(capacity * keyWords);
    this.weight = new Float64Array(capacity);
    this.error = new Float64Array(capacity);
    this.secondary = new Float64Array(capacity);
    this.extra = new Float64Array(capacity * extraCounters);
    this.hashes = new Uint32Array(capacity);
    let tableSize = 16;
    while (tableSize < capacity * 4) tableSize *= 2; // load factor <= 1/4: short probes, also on misses
    this.index = new Int32Array(tableSize).fill(-1);
    this.mask = tableSize - 1;
    this.heap = new Int32Array(capacity);
    this.heapPosition = new Int32Array(capacity);
    let filterBits = 4;
    while (1 << filterBits < filterSize && filterBits < 24) filterBits++;
    this.filter = new Float64Array(1 << filterBits);
    this.filterShift = 32 - filterBits;
  }

  /**
   * Adds to `key`'s counts. Returns its entry, whose `extra` counters the caller may update, or -1
   * when the key stays untracked (its weight went to the filter).
   */
  add(key: Uint32Array, weight: number, secondary: number): number {
    const words = this.keyWords;
    let h = 0x9747b28c;
    for (let w = 0; w < words; w++) h = Math.imul(h ^ (key[w] as number), 0x01000193);
    h = mix(h);
    let slot = h & this.mask;
    for (let entry = this.index[slot] as number; entry !== -1; entry = this.index[slot] as number) {
      if (this.hashes[entry] === h && this.sameKey(entry, key)) {
        this.weight[entry] = (this.weight[entry] as number) + weight;
        this.secondary[entry] = (this.secondary[entry] as number) + secondary;
        this.siftDown(this.heapPosition[entry] as number);
        return entry;
      }
      slot = (slot + 1) & this.mask;
    }
    let entry: number;
    if (this.size < this.capacity) {
      entry = this.size++;
      this.weight[entry] = weight;
      this.error[entry] = 0;
      this.heap[entry] = entry;
      this.heapPosition[entry] = entry;
      this.siftUp(entry);
    } else {
      this.approximate = true;
      const counter = h >>> this.filterShift;
      const bound = (this.filter[counter] as number) + weight;
      entry = this.heap[0] as number;
      const smallest = this.weight[entry] as number;
      if (bound <= smallest) {
        this.filter[counter] = bound;
        return -1;
      }
      const evictedCounter = (this.hashes[entry] as number) >>> this.filterShift;
      if (smallest > (this.filter[evictedCounter] as number)) this.filter[evictedCounter] = smallest;
      this.removeFromIndex(entry);
      slot = h & this.mask;
      while (this.index[slot] !== -1) slot = (slot + 1) & this.mask;
      this.weight[entry] = bound;
      this.error[entry] = bound - weight;
      this.evictions++;
      this.siftDown(0);
    }
    this.secondary[entry] = secondary;
    this.extra.fill(0, entry * this.extraCounters, (entry + 1) * this.extraCounters);
    this.keys.set(key.subarray(0, words), entry * words);
    this.hashes[entry] = h;
    this.index[slot] = entry;
    return entry;
  }

  /** Entries by decreasing weight, at most `n`. */
  top(n: number): number[] {
    const entries = Array.from({ length: this.size }, (_, i) => i);
    entries.sort((a, b) => (this.weight[b] as number) - (this.weight[a] as number) || a - b);
    return entries.slice(0, n);
  }

  accuracy(): HeavyHittersAccuracy {
    const exact = !this.approximate;
    return {
      exact,
      capacity: this.capacity,
      evictions: this.evictions,
      unlistedAtMost: exact ? 0 : (this.weight[this.heap[0] as number] as number),
    };
  }

  key(entry: number): Uint32Array {
    return this.keys.subarray(entry * this.keyWords, (entry + 1) * this.keyWords);
  }

  private sameKey(entry: number, key: Uint32Array): boolean {
    const base = entry * this.keyWords;
    for (let w = 0; w < this.keyWords; w++) if (this.keys[base + w] !== key[w]) return false;
    return true;
  }

  /** Linear-probing deletion with backward shift, so lookups never meet a gap inside a run. */
  private removeFromIndex(entry: number): void {
    const mask = this.mask;
    let hole = (this.hashes[entry] as number) & mask;
    while (this.index[hole] !== entry) hole = (hole + 1) & mask;
    for (let probe = (hole + 1) & mask; this.index[probe] !== -1; probe = (probe + 1) & mask) {
      const home = (this.hashes[this.index[probe] as number] as number) & mask;
      const stays = hole <= probe ? hole < home && home <= probe : hole < home || home <= probe;
      if (!stays) {
        this.index[hole] = this.index[probe] as number;
        hole = probe;
      }
    }
    this.index[hole] = -1;
  }

  private siftUp(position: number): void {
    const heap = this.heap;
    const entry = heap[position] as number;
    const w = this.weight[entry] as number;
    while (position > 0) {
      const parent = (position - 1) >> 1;
      const parentEntry = heap[parent] as number;
      if ((this.weight[parentEntry] as number) <= w) break;
      heap[position] = parentEntry;
      this.heapPosition[parentEntry] = position;
      position = parent;
    }
    heap[position] = entry;
    this.heapPosition[entry] = position;
  }

  private siftDown(position: number): void {
    const heap = this.heap;
    const size = this.size;
    const entry = heap[position] as number;
    const w = this.weight[entry] as number;
    for (;;) {
      let child = 2 * position + 1;
      if (child >= size) break;
      const right = child + 1;
      if (
        right < size &&
        (this.weight[heap[right] as number] as number) < (this.weight[heap[child] as number] as number)
      ) {
        child = right;
      }
      const childEntry = heap[child] as number;
      if ((this.weight[childEntry] as number) >= w) break;
      heap[position] = childEntry;
      this.heapPosition[childEntry] = position;
      position = child;
    }
    heap[position] = entry;
    this.heapPosition[entry] = position;
  }
}
