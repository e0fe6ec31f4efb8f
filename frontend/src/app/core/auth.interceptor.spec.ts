import { HttpClient } from '@angular/common/http';
import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import type { AuthService } from './auth';
import { signedInTestBed } from './session.testing';

describe('the session on the wire', () => {
  let http: HttpTestingController;
  let client: HttpClient;
  let auth: AuthService;

  beforeEach(async () => {
    let login;
    ({ http, auth, login } = await signedInTestBed('first'));
    expect(login.request.headers.has('Authorization')).toBe(false);
    client = TestBed.inject(HttpClient);
  });

  afterEach(() => http.verify());

  it('sends the access token with API calls, and never to other hosts', async () => {
    const jobs = firstValueFrom(client.get('/api/v1/jobs'));
    const outside = firstValueFrom(client.get('https://example.org/x'));
    const api = http.expectOne('/api/v1/jobs');
    const other = http.expectOne('https://example.org/x');
    expect(api.request.headers.get('Authorization')).toBe('Bearer first');
    expect(other.request.headers.has('Authorization')).toBe(false);
    api.flush([]);
    other.flush('');
    await Promise.all([jobs, outside]);
  });

  it('renews an expired token from the refresh cookie once, and repeats the call', async () => {
    const jobs = firstValueFrom(client.get<string[]>('/api/v1/jobs'));
    http.expectOne('/api/v1/jobs').flush({ error: { message: 'expired' } }, { status: 401, statusText: '' });
    await Promise.resolve();
    const refresh = http.expectOne('/api/v1/auth/refresh');
    expect(refresh.request.withCredentials).toBe(true);
    refresh.flush({ accessToken: 'second', expiresIn: 900 });
    await new Promise((resolve) => setTimeout(resolve));
    const retried = http.expectOne('/api/v1/jobs');
    expect(retried.request.headers.get('Authorization')).toBe('Bearer second');
    retried.flush(['a job']);
    expect(await jobs).toEqual(['a job']);
  });

  it('sends a person back to sign in when the session cannot be renewed', async () => {
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const jobs = firstValueFrom(client.get('/api/v1/jobs'));
    http.expectOne('/api/v1/jobs').flush({}, { status: 401, statusText: '' });
    await Promise.resolve();
    http.expectOne('/api/v1/auth/refresh').flush({}, { status: 401, statusText: '' });
    await expect(jobs).rejects.toMatchObject({ status: 401 });
    expect(auth.signedIn()).toBe(false);
    expect(navigate).toHaveBeenCalledWith(['/sign-in'], expect.anything());
  });
});
