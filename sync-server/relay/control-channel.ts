/**
 * ControlChannel: short messages every relay process must act on that belong to no document's
 * update stream, such as "close this friend's connections to that document, the share was
 * revoked" (issue 16: a revoke reaches the friend's sockets on every process within a second).
 * One process needs none (it acts on its own connections directly); RedisStreamFanout carries
 * them between processes on one small stream.
 */
export interface ControlChannel {
  /** Sends `message` to every other process (this one has acted on it already). */
  publishControl(message: string): void;
  /** Listens to what the other processes publish; returns the unsubscribe function. */
  onControl(listener: (message: string) => void): () => void;
  /**
   * Listens for "messages of the other processes may have been lost" (Redis restarted without
   * them): whatever they would have said must be found out another way, from the store.
   * Returns the unsubscribe function.
   */
  onControlGap(listener: () => void): () => void;
}
