import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AuthService } from './auth';
import { authInterceptor } from './auth.interceptor';

/**
 * For component tests: the real session and interceptor over Angular's testing backend, signed in
 * with the access token `token`.
 */
export async function signedInTestBed(token = 'access-1') {
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
      provideRouter([]),
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  const auth = TestBed.inject(AuthService);
  const signedIn = auth.signIn('a password');
  const login = http.expectOne('/api/v1/auth/login');
  login.flush({ accessToken: token, expiresIn: 900 });
  await signedIn;
  return { http, auth, login };
}
