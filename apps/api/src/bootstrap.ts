/**
 * Builds the Nest application on an initialised DataSource. Shared by `main.ts` and the
 * tests, so the tests run the app exactly as it ships.
 */
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import type { AppConfig } from './config/config';
import { setupOpenApi } from './openapi/setup';
import { SignoffSocketAdapter } from './realtime/socket-io.adapter';

const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
const logLevels = (level: AppConfig['LOG_LEVEL']) => LEVELS.slice(0, LEVELS.indexOf(level) + 1);

export async function createApp(config: AppConfig, dataSource: DataSource): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, dataSource), {
    logger: logLevels(config.LOG_LEVEL),
    bodyParser: false,
  });
  app.set('trust proxy', 'loopback');
  app.use(express.json({ limit: '256kb' }));
  app.use(cookieParser());
  app.setGlobalPrefix('api');
  setupOpenApi(app);
  const sockets = new SignoffSocketAdapter(app, config.ALLOWED_ORIGINS);
  if (config.REDIS_URL) await sockets.connectToRedis(config.REDIS_URL);
  app.useWebSocketAdapter(sockets);
  serveWebApp(app, config.WEB_DIST);
  return app;
}

/** The built SPA at `/`, with client-side routes falling back to index.html. */
function serveWebApp(app: NestExpressApplication, dist: string) {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    new Logger('Web').warn(`no built web app at ${dist}; run "npm run build:web"`);
    return;
  }
  app.use(express.static(dist, { index: false, maxAge: '1h' }));
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/socket.io')) return next();
    res.sendFile(index);
  });
}
