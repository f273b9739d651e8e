/**
 * Where notifications are delivered: the SMTP relay of SMTP_URL, or without it the in-process
 * catcher of the embedded default, whose messages /dev/mailbox shows in development.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Catcher, startCatcher } from '../mail/catcher.ts';
import { releaseOnClose } from './release.ts';

declare module 'fastify' {
  interface FastifyInstance {
    mail: {
      smtpUrl: string;
      /** The in-process catcher, when there is no relay. */
      catcher?: Catcher;
      /** For the start line. */
      label: string;
    };
  }
}

async function mail(app: FastifyInstance) {
  const relay = app.config.SMTP_URL;
  const catcher = relay ? undefined : await startCatcher();
  if (catcher) releaseOnClose(app, 'SMTP catcher', catcher.close);
  app.decorate('mail', {
    smtpUrl: relay ?? (catcher as Catcher).url,
    catcher,
    label: catcher ? 'in-process SMTP catcher' : 'SMTP relay',
  });
}

export default fp(mail, { name: 'mail', dependencies: ['config'] });
