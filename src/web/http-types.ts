/**
 * The request and response every web handler takes: the members that `node:http`'s
 * `IncomingMessage`/`ServerResponse` and `node:http2`'s compatibility `Http2ServerRequest`/
 * `Http2ServerResponse` share, so one handler serves HTTP/1.1 and HTTP/2 alike. Only what the
 * handlers use is listed, which keeps HTTP/1-only members (`statusMessage`, the raw socket's
 * `write`, `Connection`-style framing) out of them.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';

/** A request; iterating it yields the body's bytes. */
export interface WebRequest extends AsyncIterable<Buffer> {
  readonly method?: string | undefined;
  /** Path and query, as sent (`:path` with HTTP/2). */
  readonly url?: string | undefined;
  /** Lower-case names; with HTTP/2 the pseudo-headers too. */
  readonly headers: IncomingHttpHeaders;
  /** With HTTP/2 the session's connection, shared by its streams. */
  readonly socket: { readonly remoteAddress?: string | undefined };
}

/** A response: headers set before the body, then one `end`. */
export interface WebResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableFinished: boolean;
  /** Names in any case; HTTP/2 sends them lower-case. */
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  getHeader(name: string): OutgoingHttpHeader | undefined;
  writeHead(statusCode: number, headers?: OutgoingHttpHeaders): unknown;
  end(data?: string | Uint8Array): unknown;
  /** Aborts the response (with HTTP/2 the stream is reset, the session lives on). */
  destroy(error?: Error): unknown;
  /** `close`: the exchange is over, answered or not (the client may have gone). */
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/** A handler of one exchange; it writes the whole response itself. */
export type WebHandler = (req: WebRequest, res: WebResponse) => void;
