import type { Request } from 'express';
import type { UserDto } from '@signoff/contracts';

export interface AuthedRequest extends Request {
  user: UserDto;
  sessionToken: string;
}

export const SESSION_COOKIE = 'signoff_session';
