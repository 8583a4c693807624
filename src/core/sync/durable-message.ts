/**
 * The relay's durable acknowledgement (sync-server/relay/durable-ack.ts), shared by the relay and
 * the app: message kind and payload, so both sides agree without the app importing the server.
 * Frame: [MESSAGE_DURABLE, varUint8Array Yjs state vector of what is committed to storage].
 */
export const MESSAGE_DURABLE = 7;
