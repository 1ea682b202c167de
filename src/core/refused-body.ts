// A body refused before it was read (over BODY_LIMIT): the client may still be sending it.
// fastify answers such a request with `Connection: close`, and Node closes the socket once the
// answer is out; the client's next bytes then meet a closed socket and the kernel resets the
// connection, often before the client has read the 413 (clients that write the whole body
// before reading never see it). Instead the rest is read and discarded and the connection kept:
// the answer arrives, and the connection stays usable once the body has ended.
//
// Invariant: at most DRAIN_LIMIT_FACTOR × bodyLimit further bytes are read; past that (or at the
// request deadline, REQUEST_TIMEOUT_MS) the socket is destroyed, so a client cannot keep a
// connection busy by sending forever.
import type { IncomingMessage } from 'node:http';
import type { FastifyReply } from 'fastify';

export const DRAIN_LIMIT_FACTOR = 64;

/** Call before sending the 413: it keeps the connection open and reads the rest of the body. */
export function drainRefusedBody(request: IncomingMessage, reply: FastifyReply, bodyLimit: number): void {
  if (request.complete || request.destroyed) return;
  reply.removeHeader('connection');
  const max = bodyLimit * DRAIN_LIMIT_FACTOR;
  let drained = 0;
  request.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > max) request.socket.destroy();
  });
  request.resume();
}
