import type { HttpTestingController } from '@angular/common/http/testing';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import type { AuthService } from '../../core/auth';
import { signedInTestBed } from '../../core/session.testing';
import { alerts, click, fieldErrors, root, settle, type } from '../test-helpers';
import { PasswordForm } from './password-form';

describe('PasswordForm', () => {
  let fixture: ComponentFixture<PasswordForm>;
  let http: HttpTestingController;
  let auth: AuthService;

  beforeEach(async () => {
    ({ http, auth } = await signedInTestBed());
    fixture = TestBed.createComponent(PasswordForm);
    await settle(fixture);
  });
  afterEach(() => {
    http.verify();
    TestBed.resetTestingModule();
  });

  function fill(current: string, next: string, repeat: string): void {
    type(fixture, 'Current password', current);
    type(fixture, 'New password', next);
    type(fixture, 'Repeat new password', repeat);
  }

  it('says what is missing when nothing was typed', async () => {
    await click(fixture, 'Change password');
    expect(fieldErrors(fixture)).toEqual([
      'Enter your current password.',
      'Enter a new password.',
      'Type the new password again.',
    ]);
  });

  it('refuses a short new password and a repeat that differs, without asking the server', async () => {
    fill('correct horse battery staple', 'short', 'shirt');
    await click(fixture, 'Change password');
    expect(fieldErrors(fixture)).toEqual([
      'The new password needs at least 8 characters; it has 5.',
      'The two new passwords differ: type the same one twice.',
    ]);
    http.expectNone('/api/v1/auth/password');
  });

  it('refuses a new password equal to the current one', async () => {
    fill('same password', 'same password', 'same password');
    await click(fixture, 'Change password');
    expect(fieldErrors(fixture)).toEqual(['The new password is the same as the current one.']);
  });

  it('changes a fine password with the session token, goes on with the new token and says so', async () => {
    fill('correct horse battery staple', 'a new long password', 'a new long password');
    await click(fixture, 'Change password');
    const request = http.expectOne('/api/v1/auth/password');
    expect(request.request.body).toEqual({
      current: 'correct horse battery staple',
      next: 'a new long password',
    });
    expect(request.request.headers.get('Authorization')).toBe('Bearer access-1');
    request.flush({ accessToken: 'access-2', expiresIn: 900 });
    await settle(fixture);
    // The change ends every earlier token: the session goes on with the one it returned.
    expect(auth.accessToken()).toBe('access-2');
    expect(root(fixture).querySelector('[role="status"]')?.textContent).toContain('Password changed.');
    expect(fieldErrors(fixture)).toEqual([]);
  });

  it("shows the server's words for a wrong current password", async () => {
    fill('not the password', 'a new long password', 'a new long password');
    await click(fixture, 'Change password');
    http
      .expectOne('/api/v1/auth/password')
      .flush(
        { error: { code: 'bad-request', message: 'the current password is wrong' } },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle(fixture);
    expect(alerts(fixture)).toEqual(['The current password is wrong']);
    expect(auth.accessToken()).toBe('access-1');
    // Edited, the passwords are no longer the ones the server refused: its words go.
    type(fixture, 'Repeat new password', 'something else');
    await click(fixture, 'Change password');
    expect(alerts(fixture)).toEqual([]);
    expect(fieldErrors(fixture)).toEqual(['The two new passwords differ: type the same one twice.']);
  });
});
