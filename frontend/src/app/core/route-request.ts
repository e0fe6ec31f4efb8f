import { HttpClient, HttpParams } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import { pathOf, type Route, type RouteInput, type RouteOutput } from '@contracts/http/route';

/**
 * A request to a route declared in the contracts (method, path, params, query, body), answered as
 * the promise of its declared response. HttpClient carries it, so the interceptors apply.
 */
export function request<R extends Route>(
  http: HttpClient,
  route: R,
  input: RouteInput<R>,
): Promise<RouteOutput<R>> {
  const { params, query, body } = input as { params?: object; query?: object; body?: unknown };
  const fromObject = Object.fromEntries(
    Object.entries(query ?? {}).filter(([, value]) => value !== undefined),
  ) as Record<string, string | number | boolean>;
  return firstValueFrom(
    http.request<RouteOutput<R>>(route.method, pathOf(route, params as Record<string, unknown>), {
      body: body ?? (route.method === 'GET' || route.method === 'DELETE' ? null : {}),
      params: new HttpParams({ fromObject }),
    }),
  );
}
