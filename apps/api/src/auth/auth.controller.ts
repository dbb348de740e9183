import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import { loginSchema, type LoginInput, type UserDto } from '@signoff/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ZodPipe } from '../common/validation';
import { ApiErrors, ApiResult, ApiSession, ApiZodBody } from '../openapi/decorators';
import { CurrentUser, Public } from './auth.decorators';
import { LiveConnections } from '../realtime/live-connections';
import { AuthService, hashToken } from './auth.service';
import { SESSION_COOKIE, type AuthedRequest } from './auth.types';

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(LiveConnections) private readonly connections: LiveConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @UseGuards(ThrottlerGuard) // brute-force brake: LOGIN_RATE_LIMIT attempts a minute per client
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in', description: 'Returns the user and a bearer token, and sets the httpOnly `signoff_session` cookie.' })
  @ApiZodBody(loginSchema)
  @ApiResult(200, 'Signed in; session cookie set.', 'LoginResponse')
  @ApiErrors({
    400: 'Malformed body; the message names each field.',
    401: 'Wrong email or password.',
    429: 'Too many attempts; wait a minute.',
  })
  async login(@Body(new ZodPipe(loginSchema)) body: LoginInput, @Res({ passthrough: true }) res: Response) {
    const result = await this.auth.login(body);
    res.cookie(SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.COOKIE_SECURE,
      path: '/',
      maxAge: this.auth.sessionTtlMs,
    });
    return result;
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out', description: 'Ends the session and clears the cookie.' })
  @ApiSession()
  @ApiResult(204, 'Signed out.')
  async logout(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    await this.auth.logout(req.sessionToken);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    // This instance's sockets and streams of the session close now; other instances' on their next sweep.
    await this.connections.revokeSession(hashToken(req.sessionToken));
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiSession()
  @ApiResult(200, 'The signed-in user.', 'User')
  me(@CurrentUser() user: UserDto) {
    return user;
  }
}
