/**
 * The HTTP(S) server under a web configuration: plain `node:http`, or `node:https` when the file
 * configures TLS. Each new connection first checks the files for changes, so a new certificate or
 * cipher list applies to the next handshake (`setSecureContext`); each request gets the configured
 * headers and, when users are configured, must pass basic authentication or is answered 401.
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Logger } from '../util/logger.js';
import { BasicAuthenticator } from './basic-auth.js';
import { clientCertRejection } from './web-config-tls.js';
import type { TlsMaterial } from './web-config-tls.js';
import type { WebConfigSource } from './web-config-source.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A server for `handler`: plain HTTP without a web configuration or with one that has no TLS;
 * HTTPS (HTTP/1.1 only) with one that has TLS.
 */
export function createWebServer(
  source: WebConfigSource | undefined,
  handler: Handler,
  logger: Logger,
): Server {
  if (source === undefined) return createHttpServer(handler);
  const guarded = guard(source, handler);
  const initial = source.current().tls;
  if (initial === undefined) return createHttpServer(guarded);
  const server = createHttpsServer(
    {
      ...initial.context,
      requestCert: initial.requestCert,
      rejectUnauthorized: initial.rejectUnauthorized,
      ALPNProtocols: ['http/1.1'],
    },
    guarded,
  );
  let applied: TlsMaterial = initial;
  // Before the TLS layer takes the socket: the handshake then uses the newest certificate.
  server.prependListener('connection', () => {
    const tls = source.current().tls;
    if (tls === undefined || tls === applied) return;
    server.setSecureContext(tls.context);
    applied = tls;
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    const tls = source.current().config.tls;
    const reason = tls === undefined ? undefined : clientCertRejection(socket, tls);
    if (reason === undefined) return;
    logger.debug('TLS client rejected', { remote: socket.remoteAddress, reason });
    socket.destroy();
  });
  server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
    logger.debug('TLS handshake failed', { remote: socket.remoteAddress, err: err.message });
  });
  return server;
}

/** Wraps `handler` with the configured headers and basic authentication. */
function guard(source: WebConfigSource, handler: Handler): Handler {
  const auth = new BasicAuthenticator();
  return (req, res) => {
    const { config } = source.current();
    for (const [name, value] of Object.entries(config.http.headers)) res.setHeader(name, value);
    if (config.users.size === 0) return handler(req, res);
    auth.check(config.users, req.headers.authorization).then(
      (ok) => (ok ? handler(req, res) : unauthorized(res)),
      () => unauthorized(res),
    );
  };
}

/** Go's `http.Error(w, "Unauthorized", 401)` with the challenge: no data leaves. */
function unauthorized(res: ServerResponse): void {
  res.statusCode = 401;
  res.setHeader('WWW-Authenticate', 'Basic');
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end('Unauthorized\n');
}
