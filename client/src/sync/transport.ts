import type { PullBody, PullReply, PushBody, PushReply } from '@shared/sync/protocol.ts';

/**
 * How the sync engine reaches the server. The app uses `httpTransport` (http-transport.ts);
 * tests plug in an in-memory server or the real one through `app.inject`. Failures are thrown
 * as ApiError (client/src/api/http.ts): `status` 0 for no answer, `details` for the extra
 * fields of the error body (`expected` of MUTATION_GAP, `kind` of CLIENT_REVOKED).
 */
export interface SyncTransport {
  push(body: PushBody): Promise<PushReply>;
  pull(body: PullBody): Promise<PullReply>;
}
