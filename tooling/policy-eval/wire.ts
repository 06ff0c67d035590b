/**
 * How a stack's recorded resources travel to the pack workers.
 *
 * A resource's `dependencies` hold every URN it waits on, and a program in which each of N grants
 * waits for N tables gives N² of them (the lake stack: 11 million at 2 000 datasets). Copied as strings
 * into each worker, they were gigabytes, and every stack policy's lookup of them compared strings
 * character by character. Here every URN a stack mentions is sent once, in a per-stack table, and
 * each resource names its own URN, its dependencies and its property dependencies by their index in
 * that table (dependencies as a slice of one `Int32Array` per batch, which is copied as bytes). The
 * worker rebuilds records whose URNs are the table's own strings, and equal dependency lists are one
 * array: what the analyzer receives is unchanged, value for value and in order.
 */
import type { RecordedResource } from "../mock-runtime/harness";

/** A resource without its URNs, which travel as indices into the stack's table. */
export type WireResource = Omit<RecordedResource, "urn" | "dependencies" | "propertyDependencies"> & {
  /** Index of the resource's URN. */
  readonly urn: number;
  /** Per input property, the indices of the URNs its value came from. */
  readonly propertyDependencies: Record<string, number[]>;
};

/** Resources encoded against a stack's table. */
export interface WireBatch {
  /** URNs new to the stack's table, in index order (the table's entries from `tableStart` on). */
  readonly strings: string[];
  readonly tableStart: number;
  readonly resources: WireResource[];
  /** Every resource's dependencies, one after another, as table indices. */
  readonly dependencies: Int32Array;
  /** Resource `i`'s dependencies are `dependencies[offsets[i]..offsets[i + 1])`. */
  readonly offsets: Int32Array;
}

/** The main thread's side: numbers the URNs of one stack and encodes its resources. */
export class StackEncoder {
  private readonly index = new Map<string, number>();
  private fresh: string[] = [];

  private of(urn: string): number {
    let i = this.index.get(urn);
    if (i === undefined) {
      i = this.index.size;
      this.index.set(urn, i);
      this.fresh.push(urn);
    }
    return i;
  }

  /** The table index of every URN of `urns`, each already encoded. */
  indices(urns: readonly string[]): Int32Array {
    return Int32Array.from(urns, (urn) => {
      const i = this.index.get(urn);
      if (i === undefined) throw new Error(`resource ${urn} was never sent to the packs`);
      return i;
    });
  }

  /** Encodes `records`; the batch carries the URNs the worker has not been sent yet. */
  encode(records: readonly RecordedResource[]): WireBatch {
    const tableStart = this.index.size - this.fresh.length;
    let total = 0;
    for (const r of records) total += r.dependencies.length;
    const dependencies = new Int32Array(total);
    const offsets = new Int32Array(records.length + 1);
    let at = 0;
    const resources = records.map((r, i): WireResource => {
      const { urn, dependencies: deps, propertyDependencies, ...rest } = r;
      const own = this.of(urn);
      for (const d of deps) dependencies[at++] = this.of(d);
      offsets[i + 1] = at;
      const byProperty: Record<string, number[]> = {};
      for (const [key, urns] of Object.entries(propertyDependencies)) {
        byProperty[key] = urns.map((u) => this.of(u));
      }
      return { ...rest, urn: own, propertyDependencies: byProperty };
    });
    const strings = this.fresh;
    this.fresh = [];
    return { strings, tableStart, resources, dependencies, offsets };
  }
}

/** A decoded resource whose dependency list is still a slice of its batch (built on demand). */
export interface DecodedResource {
  readonly record: Omit<RecordedResource, "dependencies">;
  readonly dependencies: { readonly source: Int32Array; readonly start: number; readonly end: number };
}

/** The worker's side: the stack's table, and the dependency lists built so far (equal ones shared). */
export class StackDecoder {
  private readonly table: string[] = [];
  private readonly lists = new Map<string, { source: Int32Array; start: number; list: string[] }[]>();

  /** Decodes a batch; URNs are the table's strings (one object per URN for the whole stack). */
  decode(batch: WireBatch): DecodedResource[] {
    if (batch.tableStart !== this.table.length) {
      throw new Error(
        `resources arrived out of order (table at ${this.table.length}, batch at ${batch.tableStart})`,
      );
    }
    for (const s of batch.strings) this.table.push(s);
    return batch.resources.map((w, i) => {
      const propertyDependencies: Record<string, string[]> = {};
      for (const [key, ids] of Object.entries(w.propertyDependencies)) {
        propertyDependencies[key] = ids.map((id) => this.table[id]);
      }
      return {
        record: { ...w, urn: this.table[w.urn], propertyDependencies },
        dependencies: { source: batch.dependencies, start: batch.offsets[i], end: batch.offsets[i + 1] },
      };
    });
  }

  /** The URN at `index` of the table. */
  urn(index: number): string {
    return this.table[index];
  }

  /** The URNs of a dependency slice, as one array shared by every resource with the same list. */
  dependencies(slice: DecodedResource["dependencies"]): string[] {
    const { source, start, end } = slice;
    let h1 = 0x811c9dc5;
    let h2 = end - start;
    for (let i = start; i < end; i++) {
      h1 = Math.imul(h1 ^ source[i], 0x01000193);
      h2 = (Math.imul(h2, 31) + source[i]) | 0;
    }
    const key = `${end - start}:${h1}:${h2}`;
    const candidates = this.lists.get(key) ?? [];
    for (const c of candidates) {
      let same = true;
      for (let i = 0; same && i < end - start; i++) same = c.source[c.start + i] === source[start + i];
      if (same) return c.list;
    }
    const list = new Array<string>(end - start);
    for (let i = start; i < end; i++) list[i - start] = this.table[source[i]];
    candidates.push({ source, start, list });
    this.lists.set(key, candidates);
    return list;
  }
}
