// The calls a console holds, keyed by id, keeping the highest version seen (Hubs/README.md):
// an event older than what is held is ignored; a snapshot replaces the list; a closed call is
// remembered by version so a late update cannot bring it back.

export class CallStore {
  constructor() {
    this.calls = new Map();
    this.closed = new Map();
  }

  /** Returns true when the call changed what the console shows. */
  apply(call) {
    if (!call || call.id === undefined || call.id === null) return false;
    const held = this.calls.get(call.id);
    if (held && held.version >= call.version) return false;
    const closedAt = this.closed.get(call.id);
    if (closedAt !== undefined && closedAt >= call.version) return false;
    if (call.state === 'Closed') {
      this.calls.delete(call.id);
      this.closed.set(call.id, call.version);
      return Boolean(held);
    }
    this.calls.set(call.id, call);
    return true;
  }

  close({ id, version }) {
    const held = this.calls.get(id);
    if (held && held.version > version) return false;
    this.closed.set(id, Math.max(version, this.closed.get(id) ?? 0));
    return this.calls.delete(id);
  }

  /** A snapshot is the whole truth: calls not in it are gone; for those in it the higher version wins. */
  replace(list) {
    const next = new Map();
    for (const call of list || []) {
      const held = this.calls.get(call.id);
      next.set(call.id, held && held.version > call.version ? held : call);
    }
    this.calls = next;
  }

  get(id) {
    return this.calls.get(Number(id));
  }

  /** Highest priority (lowest number) first, then oldest first. */
  sorted(filter = () => true) {
    return [...this.calls.values()].filter(filter).sort((a, b) =>
      a.priority - b.priority || Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id - b.id);
  }
}
