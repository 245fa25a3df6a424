import type { PullReply, PushReply } from '@shared/sync/protocol.ts';
import { http } from '../api/http.ts';
import type { SyncTransport } from './transport.ts';

/** The sync endpoints of the wire contract (DESIGN.md), with the session's bearer token. */
export const httpTransport: SyncTransport = {
  push: (body) => http.post<PushReply>('/api/sync/push', body),
  pull: (body) => http.post<PullReply>('/api/sync/pull', body),
};
