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
import type { CreateUnit, Unit, UnitTreeNode } from '@shared/schemas/unit.ts';
import { http } from './http.ts';

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
