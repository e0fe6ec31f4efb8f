import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, from, switchMap, throwError } from 'rxjs';
import { AuthService } from './auth';

const SESSION_ROUTES = /^\/api\/v1\/auth\/(login|refresh|logout)$/;

/** Adds the access token to API calls; on a 401, renews the session once and repeats the call. */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthService);
  if (!request.url.startsWith('/api/')) return next(request);
  // The session's own routes work from the refresh cookie, never from an access token.
  if (SESSION_ROUTES.test(request.url)) return next(request.clone({ withCredentials: true }));
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
