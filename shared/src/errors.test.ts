import { describe, expect, it } from 'vitest';
import { DomainError, errorText } from './errors.ts';

describe('error texts say how long to wait', () => {
  it('in whole minutes, rounded up, from retryAfterSeconds', () => {
    expect(errorText('TOO_MANY_ATTEMPTS', 'zh', { retryAfterSeconds: 61 })).toBe('密码错误次数过多，请2分钟后再试');
    expect(errorText('TOO_MANY_ATTEMPTS', 'en', { retryAfterSeconds: 900 })).toBe('Too many wrong passwords; try again in 15 minutes');
    expect(errorText('TOO_MANY_REQUESTS', 'zh', { retryAfterSeconds: 5 })).toBe('此网络登录尝试过于频繁，请1分钟后再试');
    expect(errorText('SERVER_BUSY', 'zh', { retryAfterSeconds: 3 })).toBe('服务器繁忙，请3秒后重试');
    expect(new DomainError('TOO_MANY_ATTEMPTS', undefined, { retryAfterSeconds: 300 }).message).toBe('密码错误次数过多，请5分钟后再试');
  });

  it('and still read well when the wait is unknown', () => {
    expect(errorText('TOO_MANY_ATTEMPTS')).toBe('密码错误次数过多，请几分钟后再试');
    expect(errorText('SERVER_BUSY', 'en')).toBe('The server is busy; retry in a few seconds');
    expect(errorText('BAD_CREDENTIALS', 'zh', { retryAfterSeconds: 9 })).toBe('手机号或密码不正确');
  });
});
