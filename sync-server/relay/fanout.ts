/**
 * Fanout: spreads one document's accepted updates and awareness changes to every connection
 * of that document. The protocol code only publishes and subscribes; `InProcessFanout` serves
 * one relay process, and a Redis implementation can later span several processes without
 * touching the protocol code (a subscriber applies messages whose origin is not one of its
 * own connections to its copy of the document).
 */
export type FanoutKind = 'update' | 'awareness';

export interface FanoutMessage {
  kind: FanoutKind;
  /** A Yjs update or an awareness update (y-protocols encoding), not a framed message. */
  payload: Uint8Array;
  /** Id of the connection it came from ('' for the relay itself). */
  origin: string;
}

export interface Fanout {
  publish(docId: string, message: FanoutMessage): void;
  /** Returns the unsubscribe function. */
  subscribe(docId: string, listener: (message: FanoutMessage) => void): () => void;
}

/** Fan-out within one process: synchronous delivery to the listeners of the document. */
export class InProcessFanout implements Fanout {
  private readonly listeners = new Map<string, Set<(message: FanoutMessage) => void>>();

  publish(docId: string, message: FanoutMessage): void {
    const set = this.listeners.get(docId);
    if (set) for (const listener of set) listener(message);
  }

  subscribe(docId: string, listener: (message: FanoutMessage) => void): () => void {
    let set = this.listeners.get(docId);
    if (!set) {
      set = new Set();
      this.listeners.set(docId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(docId) === set) this.listeners.delete(docId);
    };
  }
}
