import type { LoginReply, MeReply } from '@shared/schemas/account.ts';
import type { CoverageGaps, Household } from '@shared/schemas/household.ts';
import type { UnitTreeNode } from '@shared/schemas/unit.ts';
import { http } from './http.ts';

/** The endpoints the client shell calls, typed by the shared schemas. */
export const api = {
  login: (body: { phone: string; password: string; clientId: string }) => http.post<LoginReply>('/api/auth/login', body),
  logout: () => http.post<{ ok: boolean }>('/api/auth/logout'),
  me: () => http.get<MeReply>('/api/me'),
  households: () => http.get<{ households: Household[] }>('/api/households'),
  household: (id: string) => http.get<Household>(`/api/households/${encodeURIComponent(id)}`),
  unitTree: (unitId: string) => http.get<{ units: UnitTreeNode[] }>(`/api/units/${encodeURIComponent(unitId)}/tree`),
  coverageGaps: () => http.get<CoverageGaps>('/api/coverage/gaps'),
};
