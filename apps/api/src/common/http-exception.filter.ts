/**
 * Every error leaves as `{statusCode, error, message}` with a single message string,
 * and an unexpected error is logged but never leaks its details.
 */
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import type { ApiErrorBody } from '@signoff/contracts';

/** Postgres unreachable, restarting or shutting down: the request may succeed shortly, so 503. */
const DATABASE_DOWN =
  /ECONNREFUSED|ECONNRESET|Connection terminated|connect ETIMEDOUT|timeout exceeded when trying to connect|terminating connection due to administrator command|the database system is (starting up|shutting down|not yet accepting connections|in recovery mode)/i;
/** SQLSTATE class 08 (connection exception), 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now. */
const DATABASE_DOWN_CODE = /^(08...|57P0[123])$/;

function isDatabaseDown(exception: unknown): boolean {
  if (!(exception instanceof Error)) return false;
  const code = (exception as { code?: unknown }).code;
  return DATABASE_DOWN.test(exception.message) || (typeof code === 'string' && DATABASE_DOWN_CODE.test(code));
}

@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500 && body.statusCode !== 503)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const raw = exception.getResponse();
      let message = typeof raw === 'string' ? raw : (raw as { message?: unknown }).message;
      if (Array.isArray(message)) message = message.join('; ');
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: String(message ?? exception.message) };
    }
    if (exception instanceof SyntaxError && 'body' in exception) {
      return { statusCode: 400, error: 'Bad Request', message: 'body: is not valid JSON' };
    }
    if (isDatabaseDown(exception)) {
      return { statusCode: 503, error: 'Service Unavailable', message: 'The database is unavailable; please try again shortly.' };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'Internal Server Error', message: 'Something went wrong on our side.' };
  }
}
