/**
 * The pages' Eta templates (cached outside development) and the static assets: the service's own
 * and the Digital Agency Design System's tokens, which site.css imports.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { pageTemplates } from '../flow/view.ts';

const templatesDir = join(import.meta.dirname, '..', '..', 'templates');
/** The Digital Agency Design System's tokens (CSS custom properties), served as installed. */
const designTokensCss = fileURLToPath(import.meta.resolve('@digital-go-jp/design-tokens/dist/tokens.css'));

async function views(app: FastifyInstance) {
  const production = app.config.NODE_ENV !== 'development';
  await app.register(view, {
    engine: { eta: pageTemplates(templatesDir, production) },
    root: templatesDir,
    production,
  });
  await app.register(fastifyStatic, {
    root: join(templatesDir, 'assets'),
    prefix: '/assets/',
    maxAge: '1h',
  });
  // nothing else of the design system's package is served
  await app.register(fastifyStatic, {
    root: dirname(designTokensCss),
    prefix: '/assets/design-tokens/',
    allowedPath: (path) => path === '/tokens.css',
    decorateReply: false,
    maxAge: '1h',
  });
}

export default fp(views, { name: 'view', dependencies: ['config'] });
