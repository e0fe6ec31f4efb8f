import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { API } from '@contracts/http/api';
import { AuthService } from './auth';

/** The session's own routes: the public ones of sign-in. */
const SESSION_ROUTES = new Set<string>(
  Object.values(API.auth).flatMap((route) => (route.public ? [route.path] : [])),
);

/** Adds the access token to API calls; on a 401, renews the session once and repeats the call. */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthService);
  if (!request.url.startsWith('/api/')) return next(request);
  // The session's own routes work from the refresh cookie, never from an access token.
  if (SESSION_ROUTES.has(request.url)) return next(request.clone({ withCredentials: true }));
  const withToken = () => {
    const token = auth.accessToken();
    return next(token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request);
  };
  return withToken().pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse) || error.status !== 401) return throwError(() => error);
      return from(auth.refresh()).pipe(
        switchMap((renewed) => {
          if (renewed) return withToken();
          void auth.sessionEnded();
          return throwError(() => error);
        }),
      );
    }),
  );
};
