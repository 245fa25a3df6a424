import type { PullBody, PullReply, PushBody, PushReply, ReportBody } from '@shared/sync/protocol.ts';
import { http } from '../api/http.ts';

/** How the sync engine reaches the server; tests plug in the real server through `app.inject`. */
export interface SyncTransport {
  push(body: PushBody): Promise<PushReply>;
  pull(body: PullBody): Promise<PullReply>;
  report(body: ReportBody): Promise<void>;
}

export const httpTransport: SyncTransport = {
  push: (body) => http.post<PushReply>('/api/sync/push', body),
  pull: (body) => http.post<PullReply>('/api/sync/pull', body),
  report: async (body) => {
    await http.post<null>('/api/sync/report', body);
  },
};
