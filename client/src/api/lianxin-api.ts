import type { LoginReply, MeReply } from '@shared/schemas/account.ts';
import type { ChangePassword } from '@shared/schemas/admin-people.ts';
import type { CoverageGaps, Household } from '@shared/schemas/household.ts';
import type { ConflictsReport, CoverageReport, DeviceLog, DisputeBoard, HeldDecision, HeldReport, SyncReport } from '@shared/schemas/reports.ts';
import type { UnitTreeNode } from '@shared/schemas/unit.ts';
import { download, http } from './http.ts';

/** The reports that also come as files, and the file names a supervisor saves them under. */
export type ExportableReport = 'sync' | 'coverage' | 'disputes';
const EXPORT_NAMES: Record<ExportableReport, (days: number) => string> = {
  sync: () => '同步情况',
  coverage: (days) => `${days}天未走访住户`,
  disputes: () => '矛盾纠纷排查化解台账',
};

/** The endpoints the client shell calls, typed by the shared schemas. */
export const api = {
  login: (body: { phone: string; password: string; clientId: string }) => http.post<LoginReply>('/api/auth/login', body),
  logout: () => http.post<{ ok: boolean }>('/api/auth/logout'),
  me: () => http.get<MeReply>('/api/me'),
  changePassword: (body: ChangePassword) => http.post<{ ok: true }>('/api/auth/password', body),
  households: () => http.get<{ households: Household[] }>('/api/households'),
  household: (id: string) => http.get<Household>(`/api/households/${encodeURIComponent(id)}`),
  unitTree: (unitId: string) => http.get<{ units: UnitTreeNode[] }>(`/api/units/${encodeURIComponent(unitId)}/tree`),
  coverageGaps: () => http.get<CoverageGaps>('/api/coverage/gaps'),
};

const id = encodeURIComponent;

/** The supervisors' reports (server/src/routes/reports.ts, devices.ts), typed by shared/src/schemas/reports.ts. */
export const reportsApi = {
  sync: (days: number) => http.get<SyncReport>(`/api/reports/sync?days=${days}`),
  deviceLog: (clientId: string) => http.get<DeviceLog>(`/api/reports/sync/devices/${id(clientId)}`),
  coverage: (days: 30 | 60 | 90) => http.get<CoverageReport>(`/api/reports/coverage?days=${days}`),
  conflicts: () => http.get<ConflictsReport>('/api/reports/conflicts'),
  disputes: () => http.get<DisputeBoard>('/api/reports/disputes'),
  held: () => http.get<HeldReport>('/api/reports/held'),
  decideHeld: (heldId: number, decision: 'accept' | 'refuse') => http.post<HeldDecision>(`/api/reports/held/${heldId}`, { decision }),
  revokeDevice: (clientId: string, kind: 'retire' | 'lost') => http.post<{ ok: boolean }>(`/api/devices/${id(clientId)}/revoke`, { kind }),
  /** Saves a report as a file; `days` is the coverage period (the other reports ignore it). */
  exportFile: (report: ExportableReport, format: 'csv' | 'xlsx', days = 30) =>
    download(`/api/reports/${report}.${format}${report === 'coverage' ? `?days=${days}` : ''}`, `${EXPORT_NAMES[report](days)}.${format}`),
};
