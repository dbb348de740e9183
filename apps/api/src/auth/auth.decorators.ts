import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@signoff/contracts';
import type { AuthedRequest } from './auth.types';

export const IS_PUBLIC = 'signoff:public';
export const REQUIRED_ROLES = 'signoff:roles';

/** The route needs no session (login, health, client config). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

/** The signed-in user of this request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<AuthedRequest>().user,
);
