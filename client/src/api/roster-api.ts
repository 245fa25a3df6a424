import type { RosterImportResult } from '@shared/schemas/roster.ts';
import { download, upload } from './http.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 花名册 (server/src/routes/roster.ts): the admin's scope as a workbook, its template, and importing one. */
export const rosterApi = {
  downloadRoster: () => download('/api/admin/roster.xlsx', '花名册.xlsx'),
  downloadTemplate: () => download('/api/admin/roster/template.xlsx', '花名册模板.xlsx'),
  /** Checks (`dryRun`) or applies a workbook; `onProgress` hears how much of the file has been sent. */
  importFile: (file: Blob, dryRun: boolean, onProgress: (fraction: number) => void) =>
    upload<RosterImportResult>(`/api/admin/roster/import?dryRun=${dryRun ? 1 : 0}`, file, XLSX, onProgress),
};
