/**
 * Every error leaves as `{statusCode, error, message}` with a single message string,
 * and an unexpected error is logged but never leaks its details.
 */
import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import type { ApiErrorBody } from '@signoff/contracts';

const DATABASE_DOWN =
  /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|timeout exceeded when trying to connect|the database system is (starting|shutting) up/i;

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
    if (exception instanceof Error && DATABASE_DOWN.test(exception.message)) {
      return { statusCode: 503, error: 'Service Unavailable', message: 'The database is unavailable; please try again shortly.' };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'Internal Server Error', message: 'Something went wrong on our side.' };
  }
}
