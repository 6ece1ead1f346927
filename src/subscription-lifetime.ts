// A subscription lives no longer than the credential it was opened with: a JWT's socket closes at the
// token's expiry, and a socket whose API key was revoked (on any instance: the check reads the
// database) or expired is closed before it receives another event, and within a sweep interval
// when no event comes.
import { GraphQLError } from 'graphql';
import { decodeJwt } from 'jose';
import type { Authenticator } from './auth/caller.js';
import { ErrorCode } from './errors.js';
import type { Logger } from './logger.js';

/** graphql-ws close codes: the client should not reconnect with the same credential */
export const CLOSE_UNAUTHENTICATED = 4401;

interface Socket {
  close(code: number, reason: string): void;
}

interface Watched {
  authorization: string;
  expiryTimer: NodeJS.Timeout | null;
}

export class SubscriptionLifetime {
  private readonly sockets = new Map<Socket, Watched>();
  /** checks under way, by credential: the sockets of one key share one lookup per event */
  private readonly checking = new Map<string, Promise<unknown>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly authenticator: Authenticator,
    private readonly log: Logger,
    sweepMs: number,
  ) {
    this.sweeper = setInterval(() => void this.sweep(), sweepMs);
    this.sweeper.unref();
  }

  /** from the moment a socket is authenticated with `authorization` */
  watch(socket: Socket, authorization: string): void {
    const watched: Watched = { authorization, expiryTimer: null };
    const expiresAt = jwtExpiry(authorization);
    if (expiresAt !== null) {
      // setTimeout's limit is about 24.8 days; a longer-lived token is caught by the sweep
      const wait = Math.max(0, Math.min(expiresAt - Date.now() + 50, 2_000_000_000));
      watched.expiryTimer = setTimeout(() => void this.check(socket), wait);
      watched.expiryTimer.unref();
    }
    this.sockets.set(socket, watched);
  }

  forget(socket: Socket): void {
    const watched = this.sockets.get(socket);
    if (watched?.expiryTimer) clearTimeout(watched.expiryTimer);
    this.sockets.delete(socket);
  }

  /**
   * Whether the socket may still receive an event; closes it when its credential no longer holds.
   * Checked on every event, not cached: a revocation stops the very next event (a JWT costs no query,
   * an API key one indexed lookup).
   */
  async check(socket: Socket): Promise<boolean> {
    const watched = this.sockets.get(socket);
    if (!watched) return false;
    try {
      await this.authenticate(watched.authorization);
      return true;
    } catch (error) {
      this.forget(socket);
      if (error instanceof GraphQLError && error.extensions['code'] === ErrorCode.UNAUTHENTICATED) {
        socket.close(CLOSE_UNAUTHENTICATED, error.message);
      } else {
        // the credential cannot be verified now (database unreachable): nothing is sent on trust
        this.log.warn({ err: error }, 'subscription credential could not be checked; closing');
        socket.close(1011, 'credentials could not be verified; reconnect');
      }
      return false;
    }
  }

  private authenticate(authorization: string): Promise<unknown> {
    let pending = this.checking.get(authorization);
    if (!pending) {
      pending = this.authenticator.authenticate(authorization).finally(() => this.checking.delete(authorization));
      this.checking.set(authorization, pending);
    }
    return pending;
  }

  private async sweep(): Promise<void> {
    for (const socket of [...this.sockets.keys()]) await this.check(socket);
  }

  stop(): void {
    clearInterval(this.sweeper);
    for (const socket of [...this.sockets.keys()]) this.forget(socket);
  }
}

/** a JWT's expiry in ms since the epoch; null for an API key or a token without one */
function jwtExpiry(authorization: string): number | null {
  const token = authorization.replace(/^Bearer\s+/i, '');
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}
