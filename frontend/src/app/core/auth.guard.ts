import { inject } from '@angular/core';
import { Router, type CanActivateFn } from '@angular/router';
import { AuthService } from './auth';

/** Pages behind sign-in: a page reload keeps the session through the refresh cookie. */
export const signedInGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  if (auth.signedIn() || (await auth.refresh())) return true;
  return router.createUrlTree(['/sign-in'], { queryParams: { next: state.url } });
};
