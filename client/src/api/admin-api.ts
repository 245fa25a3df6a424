import type { CreateGrant, CreateMember, Member, UpdateMember } from '@shared/schemas/account.ts';
import type {
  GrantsReply,
  MoveMember,
  PeopleQuery,
  PeopleReply,
  Person,
  ResetPasswordReply,
  RevokeGrant,
  UnitSearchQuery,
  UnitSearchReply,
  UnlockReply,
} from '@shared/schemas/admin-people.ts';
import type {
  AdminHouseholdEdit,
  AdminHouseholdEditResult,
  AdminHouseholdPage,
  AdminHouseholdQuery,
  ArchiveResult,
  AssignmentGaps,
  AssignmentPreview,
  AssignmentRequest,
  AssignmentResult,
  AuditPage,
  AuditQuery,
} from '@shared/schemas/admin-households.ts';
import type { CreateHousehold, Household } from '@shared/schemas/household.ts';
import type { CreateUnit, Unit, UnitTreeNode } from '@shared/schemas/unit.ts';
import { download, http } from './http.ts';

const id = encodeURIComponent;

/** A query string from a filter object; empty and absent values are left out. */
export function queryString(params: object): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The org tree (server/src/routes/units.ts and the admin unit search). */
export const unitsApi = {
  tree: (unitId: string) => http.get<{ units: UnitTreeNode[] }>(`/api/units/${id(unitId)}/tree`),
  search: (query: UnitSearchQuery) => http.get<UnitSearchReply>(`/api/admin/units${queryString(query)}`),
  create: (body: CreateUnit) => http.post<Unit>('/api/admin/units', body),
  rename: (unitId: string, name: string) => http.patch<Unit>(`/api/admin/units/${id(unitId)}`, { name }),
  move: (unitId: string, parentId: string) => http.post<Unit>(`/api/admin/units/${id(unitId)}/move`, { parentId }),
  retire: (unitId: string) => http.post<Unit>(`/api/admin/units/${id(unitId)}/retire`),
};

/** People, their roles and their accounts (the admin-people contracts). */
export const peopleApi = {
  list: (query: PeopleQuery) => http.get<PeopleReply>(`/api/admin/people${queryString(query)}`),
  addMember: (body: CreateMember) => http.post<Member>('/api/admin/members', body),
  updateMember: (memberId: string, body: UpdateMember) => http.patch<Member>(`/api/admin/members/${id(memberId)}`, body),
  moveMember: (memberId: string, body: MoveMember) => http.post<Member>(`/api/admin/members/${id(memberId)}/move`, body),
  disable: (userId: string) => http.post<Person>(`/api/admin/users/${id(userId)}/disable`),
  enable: (userId: string) => http.post<Person>(`/api/admin/users/${id(userId)}/enable`),
  grants: (userId: string) => http.get<GrantsReply>(`/api/admin/users/${id(userId)}/grants`),
  grant: (body: CreateGrant) => http.post<{ ok: true }>('/api/admin/grants', body),
  revoke: (body: RevokeGrant) => http.delete<{ ok: true }>('/api/admin/grants', body),
  resetPassword: (userId: string) => http.post<ResetPasswordReply>(`/api/admin/users/${id(userId)}/reset-password`),
  unlock: (userId: string) => http.post<UnlockReply>(`/api/admin/users/${id(userId)}/unlock`),
};

/** Households, their liaison members and the gaps (the admin-households contracts). */
export const householdsApi = {
  list: (query: AdminHouseholdQuery) => http.get<AdminHouseholdPage>(`/api/admin/households${queryString(query)}`),
  create: (body: CreateHousehold) => http.post<Household>('/api/admin/households', body),
  edit: (householdId: string, body: AdminHouseholdEdit) => http.patch<AdminHouseholdEditResult>(`/api/admin/households/${id(householdId)}`, body),
  archive: (householdId: string) => http.post<ArchiveResult>(`/api/admin/households/${id(householdId)}/archive`),
  unarchive: (householdId: string) => http.post<ArchiveResult>(`/api/admin/households/${id(householdId)}/unarchive`),
  /** The liaison members of one unit, with how many households each holds. */
  members: (unitId: string) => http.get<{ members: Member[] }>(`/api/members${queryString({ unitId })}`),
  preview: (body: AssignmentRequest) => http.post<AssignmentPreview>('/api/admin/assignments/preview', body),
  assign: (body: AssignmentRequest) => http.post<AssignmentResult>('/api/admin/assignments', body),
  gaps: (unitId?: string) => http.get<AssignmentGaps>(`/api/admin/assignments/gaps${queryString({ unitId })}`),
};

/** The audit log and its workbook (same filters, no paging). */
export const auditApi = {
  list: (query: AuditQuery) => http.get<AuditPage>(`/api/admin/audit${queryString(query)}`),
  exportXlsx: (query: Omit<AuditQuery, 'page' | 'pageSize'>) => download(`/api/admin/audit.xlsx${queryString(query)}`, '操作日志.xlsx'),
};
