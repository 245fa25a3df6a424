import { ERROR_CODES, errorText, type ErrorCode } from '@shared/errors.ts';
import zhCN from '../locales/zh-CN.ts';
import en from '../locales/en.ts';
import type { Lang } from '../format.ts';

/** Codes the client makes up itself: the request never got an answer. */
export type ClientErrorCode = 'NETWORK' | 'TIMEOUT';

/** A failed call, with a message already in the user's language. `status` 0: no answer at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** Extra fields of the error body (e.g. `expected` of MUTATION_GAP). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface HttpConfig {
  token: () => string | null;
  lang: () => Lang;
  /** Called when the server no longer accepts the token we sent. */
  onSessionRejected: (code: ErrorCode) => void;
  timeoutMs: number;
}

// Filled in by the session store and the i18n module, so this file needs neither.
const config: HttpConfig = { token: () => null, lang: () => 'zh', onSessionRejected: () => {}, timeoutMs: 20_000 };

export function configureHttp(partial: Partial<HttpConfig>): void {
  Object.assign(config, partial);
}

const clientText = (code: ClientErrorCode, lang: Lang) => {
  const errors = (lang === 'en' ? en : zhCN).errors;
  return code === 'TIMEOUT' ? errors.timeout : errors.network;
};

function clientError(code: ClientErrorCode): ApiError {
  return new ApiError(0, code, clientText(code, config.lang()));
}

/** Sends one JSON request to the API; resolves with the parsed body or throws an ApiError. */
export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const token = config.token();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const lang = config.lang();
  headers['accept-language'] = lang === 'en' ? 'en' : 'zh-CN';

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // A phone on one bar of signal can hang for minutes; give up and say so.
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    throw clientError(err instanceof DOMException && err.name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK');
  }

  const data: unknown = await res.json().catch(() => null);
  if (res.ok) return data as T;

  // Bodies without a known code (a proxy's HTML page, a gateway error) still get a readable message.
  const raw = (data as { code?: unknown } | null)?.code;
  const code: ErrorCode =
    typeof raw === 'string' && raw in ERROR_CODES ? (raw as ErrorCode) : res.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED';
  if (token && res.status === 401) config.onSessionRejected(code);
  const { code: _c, message: _m, ...details } = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  // details carry retryAfterSeconds for a lockout or a busy server: the text says how long to wait.
  throw new ApiError(res.status, code, errorText(code, lang, details), details);
}

/** Downloads a file the API makes (an export), with the session's token, and saves it. */
export async function download(path: string, filename: string): Promise<void> {
  const token = config.token();
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} }).catch(() => null);
  if (!res) throw clientError('NETWORK');
  if (!res.ok) throw new ApiError(res.status, 'INTERNAL', errorText(res.status === 403 ? 'FORBIDDEN' : 'INTERNAL', config.lang()));
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Sends a file (a roster workbook) with the session's token and reports upload progress
 * (0–1) as it goes: XMLHttpRequest, since fetch cannot tell how much of a body has left.
 * Resolves with the parsed JSON answer or throws an ApiError, as `request` does.
 */
export function upload<T>(path: string, body: Blob, contentType: string, onProgress: (fraction: number) => void, timeoutMs = 300_000): Promise<T> {
  const token = config.token();
  const lang = config.lang();
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', lang === 'en' ? 'en' : 'zh-CN');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.timeout = timeoutMs;
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(clientError('NETWORK'));
    xhr.ontimeout = () => reject(clientError('TIMEOUT'));
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON (a proxy's page): explained by status below.
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const raw = (data as { code?: unknown } | null)?.code;
      const code: ErrorCode = typeof raw === 'string' && raw in ERROR_CODES ? (raw as ErrorCode) : xhr.status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED';
      if (token && xhr.status === 401) config.onSessionRejected(code);
      reject(new ApiError(xhr.status, code, errorText(code, lang)));
    };
    xhr.send(body);
  });
}

export const http = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string, body?: unknown) => request<T>('DELETE', path, body),
};
