/**
 * The server under a web configuration: plain `node:http`; with TLS, `node:http2`'s secure server
 * (ALPN `h2`, HTTP/1.1 still accepted) or, with `http2: false`, `node:https` (HTTP/1.1 only), as
 * exporter-toolkit serves. Each new connection first checks the files for changes, so a new
 * certificate or cipher list applies to the next handshake (`setSecureContext`); each request gets
 * the configured headers and, when users are configured, must pass basic authentication or is
 * answered 401.
 */
import { createServer as createHttpServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { createSecureServer } from 'node:http2';
import type { Http2SecureServer, ServerHttp2Session } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import type { Logger } from '../util/logger.js';
import { BasicAuthenticator } from './basic-auth.js';
import type { WebHandler, WebResponse } from './http-types.js';
import { clientCertRejection } from './web-config-tls.js';
import type { TlsMaterial } from './web-config-tls.js';
import type { WebConfigSource } from './web-config-source.js';

/** The `--web.*` limits every listener applies. */
export interface ListenerLimits {
  /** `--web.read-timeout`: for reading a request, and idle keep-alive connections and sessions. */
  readTimeoutMs: number;
  /** `--web.max-connections`. */
  maxConnections: number;
}

/** A server for the web layer, whichever protocols it speaks. */
export interface WebListener {
  /** The server to `listen()` on. */
  readonly server: NetServer;
  /** Whether TLS clients may negotiate HTTP/2. */
  readonly http2: boolean;
  /**
   * Stops accepting connections, ends idle ones (HTTP/2 sessions with a GOAWAY) and resolves once
   * the requests in flight have been answered.
   */
  close(): Promise<void>;
}

/**
 * A listener for `handler`: plain HTTP without a web configuration or with one that has no TLS;
 * with TLS, HTTP/2 and HTTP/1.1 by ALPN, or HTTP/1.1 only when `http2` is false.
 */
export function createWebServer(
  source: WebConfigSource | undefined,
  handler: WebHandler,
  logger: Logger,
  limits: ListenerLimits,
): WebListener {
  const guarded = source === undefined ? handler : guard(source, handler);
  const initial = source?.current();
  if (source === undefined || initial?.tls === undefined)
    return http1Listener(createHttpServer(guarded), limits);
  const options = {
    ...initial.tls.context,
    requestCert: initial.tls.requestCert,
    rejectUnauthorized: initial.tls.rejectUnauthorized,
  };
  if (initial.config.http.http2) {
    // The compatibility API hands HTTP/1.1 requests the `node:http` objects, HTTP/2 ones its own.
    const server = createSecureServer({ ...options, allowHTTP1: true }, guarded);
    followTls(server, source, initial.tls, logger);
    return http2Listener(server, limits);
  }
  const server = createHttpsServer({ ...options, ALPNProtocols: ['http/1.1'] }, guarded);
  followTls(server, source, initial.tls, logger);
  return http1Listener(server, limits);
}

function http1Listener(server: HttpServer, limits: ListenerLimits): WebListener {
  server.maxConnections = limits.maxConnections;
  server.requestTimeout = limits.readTimeoutMs;
  server.keepAliveTimeout = limits.readTimeoutMs;
  return {
    server,
    http2: false,
    close: () => {
      const closed = closeServer(server);
      server.closeIdleConnections();
      return closed;
    },
  };
}

function http2Listener(server: Http2SecureServer, limits: ListenerLimits): WebListener {
  server.maxConnections = limits.maxConnections;
  // Read by the HTTP/1.1 fallback (`allowHTTP1`), which `node:http2`'s typings leave out.
  Object.assign(server, { requestTimeout: limits.readTimeoutMs, keepAliveTimeout: limits.readTimeoutMs });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    // Go's HTTP/2 idle timeout defaults to the read timeout; `close` lets open streams finish.
    session.setTimeout(limits.readTimeoutMs, () => session.close());
  });
  return {
    server,
    http2: true,
    close: () => {
      // The server's close waits for every session, and a client keeps an idle one open for good.
      const closed = closeServer(server);
      for (const s of sessions) s.close();
      return closed;
    },
  };
}

function closeServer(server: NetServer): Promise<void> {
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

/** Swaps in changed certificates before each handshake; enforces Go's client-certificate rules after it. */
function followTls(server: TlsServer, source: WebConfigSource, initial: TlsMaterial, logger: Logger): void {
  let applied = initial;
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
}

/** Wraps `handler` with the configured headers and basic authentication. */
function guard(source: WebConfigSource, handler: WebHandler): WebHandler {
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
function unauthorized(res: WebResponse): void {
  res.statusCode = 401;
  res.setHeader('WWW-Authenticate', 'Basic');
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end('Unauthorized\n');
}
