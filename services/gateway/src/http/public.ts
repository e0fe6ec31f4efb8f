import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'cairn:public';
/** Routes reachable without a token: sign-in, refresh, health, the API description. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
